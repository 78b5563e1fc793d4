/**
 * Quotes beyond the permission matrix: requesting one, answering once (and not when expired or
 * not yet sent, and not twice in a race), effective "expired" status, and paging.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertQuote } from '../../server/quotes/data.js';
import { sqlStats } from '../../server/db/index.js';
import { expectError, json } from './helpers.js';
import { DAY, assertUnchanged, call, makePortalWorld, snapshot, type PortalWorld } from './portal-world.js';

const WHO = 'rec:edit_all';
const now = (): number => Math.floor(Date.now() / 1000);

function addQuote(w: PortalWorld, opts: { status?: 'requested' | 'sent' | 'accepted' | 'declined'; validUntil?: number | null; title?: string; lines?: number } = {}): number {
  const status = opts.status ?? 'sent';
  return insertQuote(w.db, w.acme.id, {
    companyId: w.company.a1,
    title: opts.title ?? 'Bathroom re-pipe',
    status,
    source: 'office',
    contactId: w.contact[WHO],
    lines: Array.from({ length: opts.lines ?? (status === 'requested' ? 0 : 2) }, (_, i) => ({ description: `Line ${i}`, quantity: 1 + i, unitPriceCents: 1000 })),
    sentAt: status === 'requested' ? null : now() - DAY,
    validUntil: opts.validUntil === undefined ? (status === 'requested' ? null : now() + 14 * DAY) : opts.validUntil,
  });
}

const quoteRow = (w: PortalWorld, id: number) => w.db.prepare('SELECT * FROM quotes WHERE id = ?').get(id) as Record<string, unknown>;

describe('requesting a quote', () => {
  test('POST /quotes stores a requested quote from the portal, created by and naming the contact', async () => {
    const w = await makePortalWorld();
    const res = await call(w, WHO, 'POST', 'quotes', { title: 'New hot water heat pump', description: 'Replace the old cylinder', address: '12 Quay St' });
    assert.equal(res.status, 201);
    const q = await json(res);
    assert.equal(q.status, 'requested');
    assert.equal(q.totalCents, null);
    assert.deepEqual(q.lines, []);
    assert.equal(q.canAnswer, false, 'nothing to answer until the office sends it');
    assert.match(q.number, /^Q-\d+$/);
    const row = quoteRow(w, q.id);
    assert.equal(row.source, 'portal');
    assert.equal(row.status, 'requested');
    assert.equal(row.created_by_contact_id, w.contact[WHO]);
    assert.equal(row.contact_id, w.contact[WHO]);
    assert.equal(row.company_id, w.company.a1);
  });
});

describe('answering a quote', () => {
  test('accept once: 200 with the note; a second accept or a decline → 409 quote_accepted, nothing changed', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w);
    const res = await call(w, WHO, 'POST', `quotes/${id}/accept`, { note: 'Please start next week' });
    assert.equal(res.status, 200);
    const q = await json(res);
    assert.equal(q.status, 'accepted');
    assert.equal(q.responseNote, 'Please start next week');
    assert.ok(Date.parse(q.respondedAt) > Date.now() - 60_000);
    assert.equal(q.canAnswer, false);
    assert.equal(quoteRow(w, id).responded_by_contact_id, w.contact[WHO]);

    const before = snapshot(w.db);
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/accept`, {}), 409, 'quote_accepted');
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/decline`, { note: 'changed my mind' }), 409, 'quote_accepted');
    // A colleague with the same rights cannot overturn it either.
    await expectError(await call(w, 'colleague', 'POST', `quotes/${id}/decline`, {}), 409, 'quote_accepted');
    assertUnchanged(w.db, before, 'answers after the quote was accepted');
  });

  test('decline once: a later accept → 409 quote_declined; an empty note is stored as none', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w);
    const q = await json(await call(w, WHO, 'POST', `quotes/${id}/decline`, {}));
    assert.equal(q.status, 'declined');
    assert.equal(q.responseNote, null);
    const before = snapshot(w.db);
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/accept`, {}), 409, 'quote_declined');
    assertUnchanged(w.db, before, 'accept after decline');
  });

  test('after its validity has passed: reads as expired, canAnswer false, accept and decline → 409 quote_expired', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w, { validUntil: now() - 60 });
    const detail = await json(await call(w, WHO, 'GET', `quotes/${id}`));
    assert.equal(detail.status, 'expired');
    assert.equal(detail.canAnswer, false);
    const before = snapshot(w.db);
    const err = await expectError(await call(w, WHO, 'POST', `quotes/${id}/accept`, {}), 409, 'quote_expired');
    assert.match(err.message, /expired/);
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/decline`, {}), 409, 'quote_expired');
    assertUnchanged(w.db, before, 'answers to an expired quote');
    assert.equal(quoteRow(w, id).status, 'sent', 'the stored status is left for the office');
  });

  test('a requested quote (not yet sent) → 409 quote_requested, nothing changed', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w, { status: 'requested' });
    const before = snapshot(w.db);
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/accept`, {}), 409, 'quote_requested');
    await expectError(await call(w, WHO, 'POST', `quotes/${id}/decline`, {}), 409, 'quote_requested');
    assertUnchanged(w.db, before, 'answers to a requested quote');
  });

  test('a quote without an expiry date can be accepted', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w, { validUntil: null });
    assert.equal((await call(w, WHO, 'POST', `quotes/${id}/accept`, {})).status, 200);
  });

  test('two accepts at once: exactly one 200, the other 409', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w);
    const results = await Promise.all([call(w, WHO, 'POST', `quotes/${id}/accept`, { note: 'first' }), call(w, 'colleague', 'POST', `quotes/${id}/accept`, { note: 'second' })]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const winner = await json(results.find((r) => r.status === 200)!);
    const row = quoteRow(w, id);
    assert.equal(row.status, 'accepted');
    assert.equal(row.response_note, winner.responseNote);
  });

  test('an accept and a decline at once: exactly one wins, and the stored status is the winner\'s', async () => {
    const w = await makePortalWorld();
    const id = addQuote(w);
    const results = await Promise.all([call(w, WHO, 'POST', `quotes/${id}/accept`, {}), call(w, 'colleague', 'POST', `quotes/${id}/decline`, {})]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const winner = await json(results.find((r) => r.status === 200)!);
    assert.equal(quoteRow(w, id).status, winner.status);
  });
});

describe('listing quotes', () => {
  test('status=sent excludes quotes past their validity; status=expired includes them', async () => {
    const w = await makePortalWorld();
    const live = addQuote(w, { title: 'Live one' });
    const lapsed = addQuote(w, { title: 'Lapsed one', validUntil: now() - DAY });
    const ids = async (status: string) => (await json(await call(w, WHO, 'GET', `quotes?limit=100&status=${status}`))).items.map((i: { id: number }) => i.id) as number[];
    const sent = await ids('sent');
    assert.ok(sent.includes(live) && !sent.includes(lapsed));
    assert.deepEqual(await ids('expired'), [lapsed]);
    const all = (await json(await call(w, WHO, 'GET', 'quotes?limit=100'))).items as { id: number; status: string }[];
    assert.equal(all.find((q) => q.id === lapsed)!.status, 'expired');
  });

  test('the keyset cursor pages through every visible quote once, with a search taking "%" literally', async () => {
    const w = await makePortalWorld();
    for (let i = 0; i < 30; i++) addQuote(w, { title: i % 3 ? `Re-pipe ${i}` : `20% off re-pipe ${i}` });
    for (const [q, pattern] of [['', /./], ['20%', /20%/], ['re-pipe', /re-pipe/i]] as const) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '4', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
        const page = await json(await call(w, WHO, 'GET', `quotes?${qs}`));
        for (const item of page.items) assert.match(item.title, pattern);
        seen.push(...page.items.map((i: { id: number }) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      const all = (await json(await call(w, WHO, 'GET', `quotes?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`))).items.map((i: { id: number }) => i.id);
      assert.equal(new Set(seen).size, seen.length, 'no duplicates');
      assert.deepEqual(seen, all, `every quote once, in order (q=${q})`);
    }
    const percent = (await json(await call(w, WHO, 'GET', 'quotes?limit=100&q=20%25'))).items;
    assert.equal(percent.length, 10);
  });

  test('a tampered cursor → 400 naming cursor', async () => {
    const w = await makePortalWorld();
    for (const cursor of ['AAAA', Buffer.from('["soon",1]').toString('base64url'), Buffer.from('[1,"x"]').toString('base64url')]) {
      const err = await expectError(await call(w, WHO, 'GET', `quotes?cursor=${cursor}`), 400, 'validation_failed');
      assert.ok('cursor' in err.fields!);
    }
  });

  test('GET /quotes/:id with 1 and with 20 lines runs the same number of SQL statements', async () => {
    const w = await makePortalWorld();
    const counts: number[] = [];
    for (const lines of [1, 20]) {
      const id = addQuote(w, { lines });
      const before = sqlStats.statements;
      const q = await json(await call(w, WHO, 'GET', `quotes/${id}`));
      counts.push(sqlStats.statements - before);
      assert.equal(q.lines.length, lines);
    }
    assert.equal(counts[0], counts[1], `statements: ${counts}`);
  });
});
