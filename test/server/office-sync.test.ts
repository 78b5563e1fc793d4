/**
 * The provider API's sync lists (`updated_since`, keyset pages): quotes come with their lines in
 * a constant number of statements, and companies and quotes page over an index instead of
 * sorting all of a provider's rows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertQuote } from '../../server/quotes/data.js';
import { sqlStats } from '../../server/db/index.js';
import { json, nowSeconds } from './helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';

function addQuotes(w: ProviderWorld, n: number, companyId: number, providerId: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      insertQuote(w.db, providerId, {
        companyId,
        title: `Quote ${i}`,
        status: 'sent',
        source: 'office',
        lines: Array.from({ length: (i % 3) + 1 }, (_, k) => ({ description: `q${i} line ${k}`, quantity: k + 1, unitPriceCents: 1000 * (i + 1) })),
        sentAt: nowSeconds() - 100,
        // Every fourth quote has run out: the sync list says expired.
        validUntil: i % 4 === 0 ? nowSeconds() - 10 : nowSeconds() + 86_400,
      }),
    );
  }
  return ids;
}

describe('quotes sync list', () => {
  test('each quote with its own lines, in order, in the same number of statements for 2 or 120 quotes', async () => {
    const w = await makeProviderWorld();
    addQuotes(w, 120, w.ids.acmeCompany, w.acme.id);
    addQuotes(w, 3, w.ids.brightCompany, w.bright.id);
    const statements = async (limit: number): Promise<{ count: number; body: any }> => {
      await papi(w.app, w.keyA, 'GET', `/quotes?limit=${limit}`); // prepares statements
      const before = sqlStats.statements;
      const res = await papi(w.app, w.keyA, 'GET', `/quotes?limit=${limit}`);
      const count = sqlStats.statements - before;
      assert.equal(res.status, 200);
      return { count, body: await json(res) };
    };
    const small = await statements(2);
    const large = await statements(120);
    assert.equal(small.body.items.length, 2);
    assert.equal(large.body.items.length, 120);
    assert.equal(large.count, small.count, `2 quotes: ${small.count} statements, 120 quotes: ${large.count}`);

    for (const q of large.body.items as { title: string; lines: { description: string; quantity: number }[]; status: string; totalCents: number }[]) {
      const i = Number(q.title.split(' ')[1]);
      assert.deepEqual(
        q.lines.map((l) => [l.description, l.quantity]),
        Array.from({ length: (i % 3) + 1 }, (_, k) => [`q${i} line ${k}`, k + 1]),
        `${q.title} has its own lines in order`,
      );
      assert.equal(q.status, i % 4 === 0 ? 'expired' : 'sent', q.title);
    }
    // The other provider's quotes are not in acme's sync.
    assert.ok(!large.body.items.some((q: { title: string; companyId: number }) => q.companyId === w.ids.brightCompany));
  });

  test('a quote without lines lists an empty array; an empty page is an empty list', async () => {
    const w = await makeProviderWorld();
    insertQuote(w.db, w.acme.id, { companyId: w.ids.acmeCompany, title: 'Just asking', source: 'portal' });
    const page = await json(await papi(w.app, w.keyA, 'GET', '/quotes'));
    assert.deepEqual(page.items.map((q: { title: string; lines: unknown[] }) => [q.title, q.lines]), [['Just asking', []]]);
    const later = await json(await papi(w.app, w.keyA, 'GET', `/quotes?updated_since=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`));
    assert.deepEqual(later, { items: [], nextCursor: null });
  });
});

describe('sync lists page over an index', () => {
  test('companies and quotes: no sort of all of a provider\'s rows', async () => {
    const w = await makeProviderWorld();
    for (const table of ['companies', 'quotes', 'jobs']) {
      const plan = (w.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE provider_id = ? AND (updated_at, id) > (?, ?) ORDER BY updated_at, id LIMIT ?`).all(1, 0, 0, 10) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
      assert.match(plan, new RegExp(`USING INDEX ${table}_by_provider_updated`), `${table}: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `${table}: ${plan}`);
    }
  });
});
