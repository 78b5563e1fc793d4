/**
 * Bad input on every portal write route (and the list queries and ids): a clear 4xx in the one
 * error shape, with `fields` naming the field, and nothing written.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, json } from './helpers.js';
import { assertUnchanged, call, makePortalWorld, snapshot, type PortalWorld } from './portal-world.js';

let w: PortalWorld;
before(async () => {
  w = await makePortalWorld();
});

// The colleague may do everything, so any refusal below is about the input, not permissions.
const WHO = 'colleague';

/** Sends `body` and expects 400 validation_failed naming `field` (and a message matching `message`). */
async function expectInvalid(method: string, path: string, body: unknown, field: string, message?: RegExp): Promise<void> {
  const before = snapshot(w.db);
  const res = await call(w, WHO, method, path, body);
  const err = await expectError(res, 400, 'validation_failed');
  assert.ok(err.fields, `fields present for ${method} ${path} ${JSON.stringify(body)}`);
  assert.ok(field in err.fields!, `fields names "${field}": ${JSON.stringify(err.fields)}`);
  if (message) assert.match(err.fields![field]!, message);
  assertUnchanged(w.db, before, `${method} ${path} with ${JSON.stringify(body)}`);
}

const long = (n: number): string => 'x'.repeat(n);

/** Each write route with a valid body, its required text field and its long text field. */
const WRITES = [
  { method: 'POST', path: () => 'jobs', valid: { title: 'Tap', address: '1 St' }, text: 'title', max: 200, longText: 'description', longMax: 5000 },
  { method: 'PATCH', path: () => `jobs/${w.jobs.colleague}`, valid: { title: 'Tap' }, text: 'title', max: 200, longText: 'description', longMax: 5000 },
  { method: 'POST', path: () => 'quotes', valid: { title: 'Re-pipe' }, text: 'title', max: 200, longText: 'description', longMax: 5000 },
  { method: 'POST', path: () => `quotes/${w.quotes.colleague}/accept`, valid: { note: 'ok' }, text: 'note', max: 1000, longText: 'note', longMax: 1000 },
  { method: 'POST', path: () => `quotes/${w.quotes.colleague}/decline`, valid: { note: 'no' }, text: 'note', max: 1000, longText: 'note', longMax: 1000 },
  { method: 'POST', path: () => 'equipment', valid: { name: 'Boiler' }, text: 'name', max: 200, longText: 'location', longMax: 300 },
  { method: 'PATCH', path: () => 'details', valid: { contact: { name: 'Name' } }, text: 'contact.name', max: 200, longText: 'company.address', longMax: 500 },
] as const;

/** `{a.b: v}` as `{a: {b: v}}`, merged over `base`. */
function withField(base: object, field: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(base) as Record<string, unknown>;
  const [head, tail] = field.split('.') as [string, string | undefined];
  if (tail === undefined) out[head] = value;
  else out[head] = { ...((out[head] as object | undefined) ?? {}), [tail]: value };
  return out;
}

for (const r of WRITES) {
  const label = `${r.method} /${r.path.toString().includes('accept') ? 'quotes/:id/accept' : r.path.toString().includes('decline') ? 'quotes/:id/decline' : r.path.toString().includes('jobs/') ? 'jobs/:id' : r.path().replace(/\d+/, ':id')}`;
  describe(`bad input: ${label}`, () => {
    test('malformed JSON → 400 invalid_json, nothing written', async () => {
      const before = snapshot(w.db);
      for (const raw of ['{"title": ', '{title: "x"}', "{'a': 1}", '']) {
        const res = await call(w, WHO, r.method, r.path(), raw);
        assert.equal(res.status, 400, `${JSON.stringify(raw)} is refused`);
        const body = await json(res);
        assert.ok(['invalid_json', 'validation_failed'].includes(body.error.code), JSON.stringify(body));
      }
      assertUnchanged(w.db, before, 'malformed JSON');
    });

    test('a body that is not a JSON object → 400 on "body"', async () => {
      for (const body of [[], 'just a string', 42, null]) await expectInvalid(r.method, r.path(), JSON.stringify(body), 'body');
    });

    test('wrong types → 400 naming the field', async () => {
      for (const value of [42, true, ['x'], { nested: 'x' }]) await expectInvalid(r.method, r.path(), withField(r.valid, r.text, value), r.text, /must be text/);
    });

    test(`oversized text → 400 naming the field (${r.text} ${r.max + 1} chars, ${r.longText} ${r.longMax + 1}); the maximum itself is accepted by the schema`, async () => {
      await expectInvalid(r.method, r.path(), withField(r.valid, r.text, long(r.max + 1)), r.text, new RegExp(`at most ${r.max}`));
      await expectInvalid(r.method, r.path(), withField(r.valid, r.longText, long(r.longMax + 1)), r.longText, new RegExp(`at most ${r.longMax}`));
      // Control for the above: the same body at the limit is not a validation error.
      const res = await call(w, WHO, r.method, r.path(), withField(withField(r.valid, r.text, long(r.max)), r.longText, long(r.longMax)));
      assert.notEqual(res.status, 400, `at the limit: ${await res.clone().text()}`);
    });

    test('unknown keys (strict objects) → 400 naming the key', async () => {
      const before = snapshot(w.db);
      for (const extra of [{ status: 'completed' }, { companyId: w.company.a2 }, { __proto__x: 1 }]) {
        const res = await call(w, WHO, r.method, r.path(), { ...r.valid, ...extra });
        const err = await expectError(res, 400, 'validation_failed');
        assert.ok(JSON.stringify(err.fields).includes(Object.keys(extra)[0]!), `fields name the unknown key: ${JSON.stringify(err.fields)}`);
      }
      assertUnchanged(w.db, before, 'unknown keys');
    });

    test('control characters → 400 naming the field', async () => {
      for (const bad of ['a\u0000b', 'red \u001b[31m', 'bell\u0007', 'del\u007f']) {
        await expectInvalid(r.method, r.path(), withField(r.valid, r.text, bad), r.text, /control characters/);
      }
    });

    test('a body not declared as JSON → 415, nothing written', async () => {
      const before = snapshot(w.db);
      const res = await w.app.request(`/api/portal/acme/${r.path()}`, {
        method: r.method,
        headers: { Authorization: `Bearer ${w.token[WHO]}`, 'Content-Type': 'text/plain' },
        body: JSON.stringify(r.valid),
      });
      await expectError(res, 415, 'unsupported_media_type');
      assertUnchanged(w.db, before, 'text/plain body');
    });
  });
}

describe('bad input: missing required fields', () => {
  test('POST /jobs {} → 400 naming title (the address defaults to the company’s)', async () => {
    const before = snapshot(w.db);
    const err = await expectError(await call(w, WHO, 'POST', 'jobs', {}), 400, 'validation_failed');
    assert.deepEqual(Object.keys(err.fields!).sort(), ['title']);
    assertUnchanged(w.db, before, 'POST /jobs {}');
  });
  test('POST /jobs with a preferred date in the past, or an unknown time of day → 400 naming it, nothing written', async () => {
    await expectInvalid('POST', 'jobs', { title: 'Tap', preferredDate: '2020-01-01' }, 'preferredDate', /today or later/);
    await expectInvalid('POST', 'jobs', { title: 'Tap', preferredDate: '2026-02-30' }, 'preferredDate', /date/);
    await expectInvalid('POST', 'jobs', { title: 'Tap', preferredWindow: 'evening' }, 'preferredWindow', /./);
  });
  test('POST /jobs with blank (whitespace) title → 400 "is required"', () => expectInvalid('POST', 'jobs', { title: '   ', address: '1 St' }, 'title', /is required/));
  test('POST /quotes {} → 400 naming title', () => expectInvalid('POST', 'quotes', {}, 'title', /required|must be text/));
  test('POST /equipment {} → 400 naming name', () => expectInvalid('POST', 'equipment', {}, 'name', /required|must be text/));
  test('POST /equipment installed in the future, or last serviced before it was installed → 400 naming the date', async () => {
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await expectInvalid('POST', 'equipment', { name: 'Boiler', installedOn: later }, 'installedOn', /future/);
    await expectInvalid('POST', 'equipment', { name: 'Boiler', lastServiceOn: later }, 'lastServiceOn', /future/);
    await expectInvalid('POST', 'equipment', { name: 'Boiler', installedOn: '2024-05-01', lastServiceOn: '2024-04-30' }, 'lastServiceOn', /before the install date/);
  });
  test('PATCH /jobs/:id {} → 400: must change at least one field', () => expectInvalid('PATCH', `jobs/${w.jobs.colleague}`, {}, 'body', /at least one field/));
  test('PATCH /details {} and {company: {}} → 400: must change at least one field', async () => {
    await expectInvalid('PATCH', 'details', {}, 'body', /at least one field/);
    await expectInvalid('PATCH', 'details', { company: {}, contact: {} }, 'body', /at least one field/);
  });
  test('PATCH /details with a blank company name → 400 on company.name', () => expectInvalid('PATCH', 'details', { company: { name: '' } }, 'company.name', /is required/));
});

describe('bad input: formats', () => {
  test('POST /equipment with an impossible or malformed date → 400 naming the date field', async () => {
    for (const field of ['installedOn', 'lastServiceOn', 'nextServiceOn']) {
      await expectInvalid('POST', 'equipment', { name: 'Boiler', [field]: '2026-02-30' }, field, /not a real date/);
      for (const bad of ['2026-13-01', '2026-1-5', '05/01/2026', '2026-02-28T00:00:00Z', 20260228]) {
        await expectInvalid('POST', 'equipment', { name: 'Boiler', [field]: bad }, field);
      }
    }
    // Control: a real leap day is fine.
    const res = await call(w, WHO, 'POST', 'equipment', { name: 'Leap boiler', installedOn: '2024-02-29' });
    assert.equal(res.status, 201);
    assert.equal((await json(res)).installedOn, '2024-02-29');
  });
  test('PATCH /details with a bad phone or email → 400 naming it', async () => {
    await expectInvalid('PATCH', 'details', { company: { phone: 'call me' } }, 'company.phone', /phone/);
    await expectInvalid('PATCH', 'details', { company: { email: 'not-an-email' } }, 'company.email', /email/);
    await expectInvalid('PATCH', 'details', { contact: { phone: '<script>' } }, 'contact.phone', /phone/);
  });
  test('PATCH /details may not change the contact\'s email or the company id (unknown keys)', async () => {
    await expectInvalid('PATCH', 'details', { contact: { email: 'me@evil.example' } }, 'contact');
    await expectInvalid('PATCH', 'details', { company: { id: w.company.a2 } }, 'company');
  });
});

describe('bad input: ids in the path', () => {
  const paths = ['jobs/:id', 'quotes/:id'];
  const writes: [string, string, unknown][] = [
    ['PATCH', 'jobs/:id', { title: 'x' }],
    ['POST', 'quotes/:id/accept', {}],
    ['POST', 'quotes/:id/decline', {}],
  ];
  for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999', '%20', '0x10', '1e3', '+5', '07']) {
    test(`/…/${bad} → 400 naming "id" on every route with an id, nothing written`, async () => {
      const before = snapshot(w.db);
      for (const p of paths) {
        const err = await expectError(await call(w, WHO, 'GET', p.replace(':id', bad)), 400, 'validation_failed');
        assert.ok('id' in err.fields!, JSON.stringify(err));
      }
      for (const [method, p, body] of writes) {
        const err = await expectError(await call(w, WHO, method, p.replace(':id', bad), body), 400, 'validation_failed');
        assert.ok('id' in err.fields!, JSON.stringify(err));
      }
      assertUnchanged(w.db, before, `id ${bad}`);
    });
  }
});

describe('bad input: list queries', () => {
  const cases: [string, string][] = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=!!!', 'cursor'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['q=%00', 'q'],
    ['unknown=1', 'query'],
  ];
  for (const list of ['jobs', 'quotes', 'equipment']) {
    for (const [query, field] of cases) {
      test(`GET /${list}?${query.slice(0, 30)} → 400 naming ${field}`, async () => {
        const err = await expectError(await call(w, WHO, 'GET', `${list}?${query}`), 400, 'validation_failed');
        const named = field === 'query' ? JSON.stringify(err.fields).includes('unknown') : field in err.fields!;
        assert.ok(named, JSON.stringify(err.fields));
      });
    }
  }
  test('GET /jobs?status=bogus and ?sort=bogus → 400 naming the parameter', async () => {
    assert.ok('status' in (await expectError(await call(w, WHO, 'GET', 'jobs?status=bogus'), 400, 'validation_failed')).fields!);
    assert.ok('sort' in (await expectError(await call(w, WHO, 'GET', 'jobs?sort=bogus'), 400, 'validation_failed')).fields!);
    assert.ok('status' in (await expectError(await call(w, WHO, 'GET', 'quotes?status=done'), 400, 'validation_failed')).fields!);
  });
});
