/**
 * Jobs beyond the permission matrix: creating in the portal, editing (timeline, closed jobs),
 * numbering per provider, text stored verbatim, keyset paging with filters, and a constant
 * number of SQL statements per request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addJobEvent, insertJob, setJobStatus } from '../../server/jobs/data.js';
import { encodeCursor } from '../../server/db/paging.js';
import { sqlStats } from '../../server/db/index.js';
import { JOB_STATUSES, type JobStatus } from '../../server/contract.js';
import { expectError, json } from './helpers.js';
import { DAY, assertUnchanged, call, makePortalWorld, snapshot, type ContactKey, type PortalWorld } from './portal-world.js';

const NEW_JOB = { title: 'Leaking tap', description: 'Kitchen, drips all night', address: '12 Quay St, unit 4', preferredDates: 'Weekday mornings', siteContact: 'Front desk' };

const events = (w: PortalWorld, jobId: number) =>
  w.db.prepare('SELECT type, status, message, actor FROM job_events WHERE job_id = ? ORDER BY id').all(jobId) as { type: string; status: string | null; message: string; actor: string }[];

describe('creating a job in the portal', () => {
  test('stored with source portal, status requested, created by and naming the contact, with a "created" timeline entry', async () => {
    const w = await makePortalWorld();
    const who = 'rec:edit_own';
    const res = await call(w, who, 'POST', 'jobs', NEW_JOB);
    assert.equal(res.status, 201);
    const job = await json(res);
    assert.equal(job.status, 'requested');
    assert.equal(job.source, 'portal');
    assert.equal(job.canEdit, true);
    assert.deepEqual(
      { title: job.title, description: job.description, address: job.address, preferredDates: job.preferredDates, siteContact: job.siteContact },
      NEW_JOB,
    );
    assert.equal(job.timeline.length, 1);
    assert.equal(job.timeline[0].type, 'created');
    assert.equal(job.timeline[0].actor, 'customer');

    const row = w.db.prepare('SELECT provider_id, company_id, source, status, created_by_contact_id, contact_id, number FROM jobs WHERE id = ?').get(job.id);
    assert.deepEqual(row, {
      provider_id: w.acme.id,
      company_id: w.company.a1,
      source: 'portal',
      status: 'requested',
      created_by_contact_id: w.contact[who],
      contact_id: w.contact[who],
      number: job.number,
    });
    assert.deepEqual(events(w, job.id), [{ type: 'created', status: 'requested', message: 'Requested in the customer portal', actor: 'customer' }]);
    // It is theirs: an "own" contact sees it in the list and may open it.
    const list = await json(await call(w, who, 'GET', 'jobs?limit=100'));
    assert.ok(list.items.some((i: { id: number }) => i.id === job.id));
  });

  test('without an address the job is at the company’s address on file; a preferred day and time of day are kept as data', async () => {
    const w = await makePortalWorld();
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await call(w, 'colleague', 'POST', 'jobs', { title: 'Dripping tap', preferredDate: day, preferredWindow: 'morning', preferredDates: 'Not before 9' });
    assert.equal(res.status, 201);
    const job = await json(res);
    assert.deepEqual([job.address, job.preferredDate, job.preferredWindow, job.preferredDates], ['12 Quay St', day, 'morning', 'Not before 9']);
    const row = w.db.prepare('SELECT preferred_date, preferred_window FROM jobs WHERE id = ?').get(job.id) as { preferred_date: string; preferred_window: string };
    assert.deepEqual([row.preferred_date, row.preferred_window], [day, 'morning']);
    const plain = await json(await call(w, 'colleague', 'POST', 'jobs', { title: 'Another' }));
    assert.deepEqual([plain.preferredDate, plain.preferredWindow], [null, null]);
  });

  test('optional fields default to empty; text is trimmed', async () => {
    const w = await makePortalWorld();
    const job = await json(await call(w, 'colleague', 'POST', 'jobs', { title: '  Blocked drain  ', address: ' 3 Mill Lane ' }));
    assert.equal(job.title, 'Blocked drain');
    assert.equal(job.address, '3 Mill Lane');
    assert.deepEqual([job.description, job.preferredDates, job.siteContact], ['', '', '']);
  });

  test('job numbers are per provider: provider B\'s first job is J-1001, not numbered after A\'s', async () => {
    const w = await makePortalWorld();
    const numbers = (providerId: number) => w.db.prepare('SELECT number FROM jobs WHERE provider_id = ? ORDER BY id').pluck().all(providerId) as string[];
    const acmeBefore = numbers(w.acme.id);
    assert.ok(acmeBefore.length > 20, 'acme has many jobs first');
    assert.equal(acmeBefore[0], 'J-1001');
    assert.deepEqual(numbers(w.bright.id), ['J-1001'], "bright's first job, inserted after acme's, starts at J-1001");

    const atBright = await json(await call(w, 'otherProvider', 'POST', 'jobs', NEW_JOB));
    assert.equal(atBright.number, 'J-1002');
    const atAcme = await json(await call(w, 'colleague', 'POST', 'jobs', NEW_JOB));
    assert.equal(atAcme.number, `J-${1001 + acmeBefore.length}`);
  });
});

describe('editing a job', () => {
  test('PATCH changes only the fields sent and records a timeline entry naming them', async () => {
    const w = await makePortalWorld();
    const id = w.jobs.own['rec:edit_own'];
    const before = w.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;
    const res = await call(w, 'rec:edit_own', 'PATCH', `jobs/${id}`, { title: 'Leaking tap, now worse', address: '14 Quay St' });
    assert.equal(res.status, 200);
    const job = await json(res);
    assert.equal(job.title, 'Leaking tap, now worse');
    assert.equal(job.address, '14 Quay St');
    // The fields not sent are kept (zod defaults must not blank them).
    assert.equal(job.description, before.description);
    assert.equal(job.preferredDates, before.preferred_dates);
    assert.equal(job.siteContact, before.site_contact);

    const last = events(w, id).at(-1)!;
    assert.equal(last.type, 'updated');
    assert.equal(last.actor, 'customer');
    assert.equal(last.message, 'Changed in the customer portal: what needs doing, address');
    assert.deepEqual(job.timeline.at(-1).message, last.message);

    // The search text follows the change.
    const found = await json(await call(w, 'rec:edit_own', 'GET', 'jobs?q=now%20worse'));
    assert.deepEqual(found.items.map((i: { id: number }) => i.id), [id]);
    assert.deepEqual((await json(await call(w, 'rec:edit_own', 'GET', `jobs?q=${encodeURIComponent(String(before.title))}`))).items, []);
  });

  test('PATCH of one other field names only that field; sending the same values records nothing', async () => {
    const w = await makePortalWorld();
    const id = w.jobs.colleague;
    await call(w, 'colleague', 'PATCH', `jobs/${id}`, { preferredDates: 'Any afternoon' });
    assert.equal(events(w, id).at(-1)!.message, 'Changed in the customer portal: preferred dates');

    const before = snapshot(w.db);
    const row = w.db.prepare('SELECT title, address FROM jobs WHERE id = ?').get(id) as { title: string; address: string };
    const res = await call(w, 'colleague', 'PATCH', `jobs/${id}`, { title: row.title, address: row.address, preferredDates: 'Any afternoon' });
    assert.equal(res.status, 200);
    assertUnchanged(w.db, before, 'a PATCH that changes nothing');
  });

  for (const status of ['completed', 'cancelled'] as const) {
    test(`PATCH of a ${status} job → 409 job_closed, nothing changed; its detail says canEdit false`, async () => {
      const w = await makePortalWorld();
      const id = w.jobs.own['rec:edit_all'];
      assert.equal(setJobStatus(w.db, w.acme.id, id, status), true);
      const before = snapshot(w.db);
      const err = await expectError(await call(w, 'rec:edit_all', 'PATCH', `jobs/${id}`, { title: 'Too late' }), 409, 'job_closed');
      assert.match(err.message, new RegExp(status));
      assertUnchanged(w.db, before, `PATCH of a ${status} job`);
      assert.equal((await json(await call(w, 'rec:edit_all', 'GET', `jobs/${id}`))).canEdit, false);
    });
  }

  test('a job on hold is still open: PATCH → 200', async () => {
    const w = await makePortalWorld();
    const id = w.jobs.own['rec:edit_all'];
    setJobStatus(w.db, w.acme.id, id, 'on_hold');
    assert.equal((await call(w, 'rec:edit_all', 'PATCH', `jobs/${id}`, { siteContact: 'Caretaker' })).status, 200);
  });
});

describe('text is stored and returned verbatim', () => {
  test('<script> and <img onerror> in a job are stored as sent and returned as JSON text, not mangled', async () => {
    const w = await makePortalWorld();
    const title = '<script>alert("x")</script> & <b>bold</b>';
    const description = '<img src=x onerror="alert(1)">\nSecond line\twith a tab';
    const res = await call(w, 'colleague', 'POST', 'jobs', { title, address: "O'Brien's <b>place</b>", description });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const raw = await res.clone().text();
    assert.ok(raw.includes(JSON.stringify(title)), 'plain JSON string escaping only, no HTML entities');
    const job = await res.json();
    assert.equal(job.title, title);
    assert.equal(job.description, description);
    assert.equal(job.address, "O'Brien's <b>place</b>");
    assert.deepEqual(w.db.prepare('SELECT title, description FROM jobs WHERE id = ?').get(job.id), { title, description });
    const listed = (await json(await call(w, 'colleague', 'GET', 'jobs?q=%3Cscript%3E'))).items;
    assert.deepEqual(listed.map((i: { title: string }) => i.title), [title]);
  });
});

/** Adds `n` A1 jobs with varied statuses, titles (some with % and _), and tied timestamps. */
function addPagingJobs(w: PortalWorld, n: number): void {
  const titles = ['50% deposit paid', '500 litre tank', 'pipe a_b fitting', 'pipe axb fitting', 'back\\slash valve', 'Blocked drain', 'Leaking tap'];
  const base = Math.floor(Date.now() / 1000) - 200 * DAY;
  for (let i = 0; i < n; i++) {
    // Every fifth group of jobs shares one timestamp, so page boundaries fall inside ties.
    const at = base + (i % 5 === 0 ? 0 : i * 600);
    const status: JobStatus = JOB_STATUSES[i % JOB_STATUSES.length]!;
    const id = insertJob(w.db, w.acme.id, { companyId: w.company.a1, title: `${titles[i % titles.length]} #${i}`, address: '1 Paging Rd', status: 'requested', source: 'office', createdAt: at });
    // updated_at differs from created_at in a different order, so the two sorts differ.
    if (status !== 'requested') setJobStatus(w.db, w.acme.id, id, status, { at: at + ((i * 7919) % 97) * 3600 });
  }
}

interface JobRow { id: number; status: string; search: string; created_at: number; updated_at: number }

/** The expected result, straight from the table: A1 jobs, filtered in JS, newest first, ties by id. */
function expected(w: PortalWorld, opts: { status?: string; q?: string; sort?: 'created' | 'updated' }): number[] {
  const key = opts.sort === 'created' ? 'created_at' : 'updated_at';
  const rows = w.db.prepare('SELECT id, status, search, created_at, updated_at FROM jobs WHERE provider_id = ? AND company_id = ?').all(w.acme.id, w.company.a1) as JobRow[];
  return rows
    .filter((r) => (!opts.status || r.status === opts.status) && (!opts.q || r.search.includes(opts.q.toLowerCase())))
    .sort((a, b) => b[key] - a[key] || b.id - a.id)
    .map((r) => r.id);
}

/** Follows nextCursor to the end; checks page sizes on the way. */
async function pageAll(w: PortalWorld, who: ContactKey, params: Record<string, string>, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const qs = new URLSearchParams({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await call(w, who, 'GET', `jobs?${qs}`);
    assert.equal(res.status, 200, await res.clone().text());
    const page = await json(res);
    assert.ok(page.items.length <= limit);
    ids.push(...page.items.map((i: { id: number }) => i.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
    assert.equal(page.items.length, limit, 'only the last page may be short');
  }
  throw new Error('paging did not end');
}

describe('paging through jobs', () => {
  const cases: { name: string; params: Record<string, string>; sort?: 'created' | 'updated' }[] = [
    { name: 'everything, newest update first', params: {} },
    { name: 'sorted by created', params: { sort: 'created' }, sort: 'created' },
    { name: 'status filter', params: { status: 'scheduled' } },
    { name: 'status filter, sorted by created', params: { status: 'completed', sort: 'created' }, sort: 'created' },
    { name: 'search', params: { q: 'pipe' } },
    { name: 'search and status filter', params: { q: 'fitting', status: 'in_progress' } },
    { name: 'search for "%" taken literally', params: { q: '50%' } },
    { name: 'search for "_" taken literally', params: { q: 'a_b' } },
    { name: 'search for a backslash taken literally', params: { q: 'back\\slash' } },
  ];
  for (const c of cases) {
    test(`keyset cursor pages through all rows, no duplicates, no gaps: ${c.name}`, async () => {
      const w = await makePortalWorld();
      addPagingJobs(w, 140);
      const want = expected(w, { ...c.params, sort: c.sort });
      assert.ok(want.length > 0, 'the case selects something');
      for (const limit of [1, 7, 100]) {
        const got = await pageAll(w, 'colleague', c.params, limit);
        assert.equal(new Set(got).size, got.length, `no duplicates (limit ${limit})`);
        assert.deepEqual(got, want, `every row once, in order (limit ${limit})`);
      }
    });
  }

  test('"%" and "_" do not act as wildcards', async () => {
    const w = await makePortalWorld();
    addPagingJobs(w, 70);
    const titles = async (q: string) => (await json(await call(w, 'colleague', 'GET', `jobs?limit=100&q=${encodeURIComponent(q)}`))).items.map((i: { title: string }) => i.title) as string[];
    const percent = await titles('50%');
    assert.ok(percent.length > 0 && percent.every((t) => t.includes('50%')), `only "50%": ${percent}`);
    const underscore = await titles('a_b');
    assert.ok(underscore.length > 0 && underscore.every((t) => t.includes('a_b')), `only "a_b": ${underscore}`);
    assert.deepEqual(await titles('%%%'), []);
  });

  test('a tampered cursor → 400 naming cursor', async () => {
    const w = await makePortalWorld();
    const b64 = (v: string) => Buffer.from(v).toString('base64url');
    const bad = ['AAAA', b64('{"a":1}'), b64('[1]'), b64('[1,2,3]'), b64('[1,2.5]'), b64('[null,2]'), b64('["x",2]'), b64('[true,2]'), encodeCursor('Boiler', 3), 'not-a-cursor'];
    for (const cursor of bad) {
      for (const sort of ['updated', 'created']) {
        const res = await call(w, 'colleague', 'GET', `jobs?sort=${sort}&cursor=${cursor}`);
        const err = await expectError(res, 400, 'validation_failed');
        assert.ok('cursor' in err.fields!, `${cursor}: ${JSON.stringify(err)}`);
      }
    }
  });
});

describe('SQL statements per request are constant', () => {
  const statementsFor = async (w: PortalWorld, path: string): Promise<{ count: number; body: any }> => {
    // Once per contact and company version the contact row is read again (auth's contact memo).
    await call(w, 'colleague', 'GET', 'me');
    const before = sqlStats.statements;
    const res = await call(w, 'colleague', 'GET', path);
    const count = sqlStats.statements - before;
    assert.equal(res.status, 200);
    return { count, body: await res.json() };
  };

  test('GET /jobs?limit=5 and ?limit=100 run the same number of statements', async () => {
    const w = await makePortalWorld();
    addPagingJobs(w, 120);
    // Each from a cold cache: no summary of the company's jobs kept yet.
    const cold = async (path: string) => {
      w.app.deps.cache.clear();
      return statementsFor(w, path);
    };
    const small = await cold('jobs?limit=5');
    const large = await cold('jobs?limit=100');
    assert.equal(small.body.items.length, 5);
    assert.equal(large.body.items.length, 100);
    assert.equal(large.count, small.count, `limit 5: ${small.count}, limit 100: ${large.count}`);
    const filtered = await cold('jobs?limit=100&status=in_progress&q=pipe&sort=created');
    assert.ok(filtered.body.items.length > 1);
    assert.equal(filtered.count, small.count, 'filters add no statements');
    assert.ok(small.count <= 4, `a handful of statements (provider, session with contact and version, the page's ids, their summaries): ${small.count}`);
    // A page of another URL whose jobs were all on the page before: put together from the kept
    // summaries, so it needs the ids alone.
    await statementsFor(w, 'jobs?limit=100');
    const kept = await statementsFor(w, 'jobs?limit=60');
    assert.equal(kept.body.items.length, 60);
    assert.equal(kept.count, small.count - 1, `all summaries kept: ${kept.count}`);
  });

  test('GET /jobs/:id with 1 and with 30 timeline events runs the same number of statements', async () => {
    const w = await makePortalWorld();
    const one = w.jobs.unnamed;
    const thirty = w.jobs.colleague;
    for (let i = 0; i < 29; i++) addJobEvent(w.db, thirty, { type: 'note', message: `Note ${i}`, actor: 'office' });
    const a = await statementsFor(w, `jobs/${one}`);
    const b = await statementsFor(w, `jobs/${thirty}`);
    assert.equal(a.body.timeline.length, 1);
    assert.equal(b.body.timeline.length, 30);
    assert.equal(b.count, a.count, `1 event: ${a.count}, 30 events: ${b.count}`);
  });
});
