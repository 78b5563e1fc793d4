/**
 * The in-memory caches of the read path: the response cache (finished job and equipment
 * answers per contact and URL), the contact rows kept by auth, and parsed providers. Each is
 * keyed on a change counter kept by triggers (migration 6), so what these tests prove is that
 * no write, from this server or from another connection to the same file (as the admin CLI or
 * a second server process would), is ever answered with what was there before it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createApiKey } from '../../server/providers/api-keys.js';
import { addJobEvent } from '../../server/jobs/data.js';
import { iso } from '../../server/db/paging.js';
import { ResponseCache } from '../../server/http/response-cache.js';
import { createApp } from '../../server/app.js';
import { defaultSettings } from '../../server/settings.js';
import { expectError, json } from './helpers.js';
import { papi } from './provider-helpers.js';
import { call, makePortalWorld, sortedIds, visibleIds, type PortalWorld } from './portal-world.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A portal world in a database file, and a second connection to that file (another process, as far as SQLite knows). */
async function fileWorld(): Promise<{ w: PortalWorld; other: Database.Database }> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-cache-'));
  dirs.push(dir);
  const file = join(dir, 'portal.db');
  const w = await makePortalWorld({ file });
  const other = new Database(file);
  other.pragma('busy_timeout = 5000');
  return { w, other };
}

const titles = (page: { items: { title: string }[] }): string[] => page.items.map((j) => j.title);
const version = (w: PortalWorld, companyId: number): number =>
  w.db.prepare('SELECT version FROM company_versions WHERE company_id = ?').pluck().get(companyId) as number;

describe('the response cache', () => {
  test('a repeated read is answered from the cache, with the same body', async () => {
    const w = await makePortalWorld();
    const first = await (await call(w, 'colleague', 'GET', 'jobs?limit=5')).text();
    const hits = w.app.deps.cache.hits;
    const second = await call(w, 'colleague', 'GET', 'jobs?limit=5');
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('content-type'), 'application/json');
    assert.equal(await second.text(), first);
    assert.equal(w.app.deps.cache.hits, hits + 1, 'the second answer came from the cache');
  });

  test('contacts who see all of their company\'s jobs share one cached list page; own-jobs, no-access and other companies\' contacts never get it', async () => {
    const w = await makePortalWorld();
    const first = await (await call(w, 'colleague', 'GET', 'jobs?limit=50')).text();
    let hits = w.app.deps.cache.hits;
    // rec:view_all is another A1 contact who sees all of A1's jobs: the same page, from the cache.
    const shared = await call(w, 'rec:view_all', 'GET', 'jobs?limit=50');
    assert.equal(shared.status, 200);
    assert.equal(await shared.text(), first);
    assert.equal(w.app.deps.cache.hits, hits + 1, 'answered from the colleague\'s cached page');

    // An own-jobs contact of the same company: their own page, computed, never the shared one.
    hits = w.app.deps.cache.hits;
    const own = await json(await call(w, 'rec:view_own', 'GET', 'jobs?limit=50'));
    assert.equal(w.app.deps.cache.hits, hits, 'not a hit');
    assert.notDeepEqual(titles(own), titles(JSON.parse(first)));
    const ownIds = new Set(own.items.map((j: { id: number }) => j.id));
    assert.ok(!ownIds.has(w.jobs.colleague), "the colleague's job is not in the own-jobs page");

    // No access: 403, whatever is cached for the company.
    await expectError(await call(w, 'rec:none', 'GET', 'jobs?limit=50'), 403, 'forbidden');
    // Another company's contact with the same URL: their company's jobs.
    hits = w.app.deps.cache.hits;
    const other = await json(await call(w, 'otherCompany', 'GET', 'jobs?limit=50'));
    assert.equal(w.app.deps.cache.hits, hits, 'not a hit');
    assert.ok(!other.items.some((j: { id: number }) => j.id === w.jobs.colleague), "A1's job is not in A2's page");

    // A change in the company reaches both sharers at once.
    const key = createApiKey(w.db, w.acme.id, 'office').key;
    assert.equal((await papi(w.app, key, 'PATCH', `/jobs/${w.jobs.colleague}`, { title: 'Renamed for everyone' })).status, 200);
    for (const who of ['colleague', 'rec:view_all'] as const) assert.ok(titles(await json(await call(w, who, 'GET', 'jobs?limit=50'))).includes('Renamed for everyone'), who);
  });

  test('a job changed through the provider API shows in the next read of the list and of the job', async () => {
    const w = await makePortalWorld();
    const key = createApiKey(w.db, w.acme.id, 'office').key;
    const id = w.jobs.colleague;
    await call(w, 'colleague', 'GET', 'jobs?limit=100');
    await call(w, 'colleague', 'GET', `jobs/${id}`);
    const res = await papi(w.app, key, 'PATCH', `/jobs/${id}`, { title: 'Renamed by the office' });
    assert.equal(res.status, 200, await res.clone().text());
    const list = await json(await call(w, 'colleague', 'GET', 'jobs?limit=100'));
    assert.ok(titles(list).includes('Renamed by the office'));
    assert.equal((await json(await call(w, 'colleague', 'GET', `jobs/${id}`))).title, 'Renamed by the office');
  });

  test('a job created in the portal shows in the creator\'s next read of the list', async () => {
    const w = await makePortalWorld();
    await call(w, 'colleague', 'GET', 'jobs?limit=100');
    const created = await json(await call(w, 'colleague', 'POST', 'jobs', { title: 'Blocked drain', address: '12 Quay St' }));
    const list = await json(await call(w, 'colleague', 'GET', 'jobs?limit=100'));
    assert.equal(list.items[0].id, created.id);
  });

  test('writes from another connection (the admin CLI, another server) show at once: job, timeline, equipment', async () => {
    const { w, other } = await fileWorld();
    const id = w.jobs.colleague;
    await call(w, 'colleague', 'GET', 'jobs?limit=100');
    await call(w, 'colleague', 'GET', `jobs/${id}`);
    await call(w, 'eq:view', 'GET', 'equipment');

    other.prepare('UPDATE jobs SET title = ? WHERE id = ?').run('Changed elsewhere', id);
    other.prepare("INSERT INTO job_events (job_id, type, message, actor, created_at) VALUES (?, 'note', 'Parts ordered', 'office', 1)").run(id);
    other.prepare("UPDATE equipment SET name = 'Boiler (replaced)' WHERE id = ?").run(w.equipment.a1[0]);

    assert.ok(titles(await json(await call(w, 'colleague', 'GET', 'jobs?limit=100'))).includes('Changed elsewhere'));
    const job = await json(await call(w, 'colleague', 'GET', `jobs/${id}`));
    assert.equal(job.title, 'Changed elsewhere');
    assert.ok(job.timeline.some((e: { message: string }) => e.message === 'Parts ordered'));
    const equipment = await json(await call(w, 'eq:view', 'GET', 'equipment'));
    assert.ok(equipment.items.some((e: { name: string }) => e.name === 'Boiler (replaced)'));
  });

  test('a job deleted elsewhere is gone from the next read (404 for the job itself)', async () => {
    const { w, other } = await fileWorld();
    const id = w.jobs.unnamed;
    await call(w, 'colleague', 'GET', 'jobs?limit=100');
    await call(w, 'colleague', 'GET', `jobs/${id}`);
    other.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    const list = await json(await call(w, 'colleague', 'GET', 'jobs?limit=100'));
    assert.ok(!list.items.some((j: { id: number }) => j.id === id));
    await expectError(await call(w, 'colleague', 'GET', `jobs/${id}`), 404, 'not_found');
  });

  test('permissions lowered elsewhere count on the very next read: all → own → none (403)', async () => {
    const { w, other } = await fileWorld();
    const who = 'rec:view_all';
    const all = await json(await call(w, who, 'GET', 'jobs?limit=100'));
    assert.ok(all.items.length > 2);
    other.prepare("UPDATE contacts SET perm_jobs = 'view_own' WHERE id = ?").run(w.contact[who]);
    const own = await json(await call(w, who, 'GET', 'jobs?limit=100'));
    assert.deepEqual(own.items.map((j: { id: number }) => j.id).sort((a: number, b: number) => a - b), [w.jobs.own[who], w.jobs.named[who]].sort((a, b) => a - b));
    other.prepare("UPDATE contacts SET perm_jobs = 'none' WHERE id = ?").run(w.contact[who]);
    await expectError(await call(w, who, 'GET', 'jobs?limit=100'), 403, 'forbidden');
    await expectError(await call(w, who, 'GET', `jobs/${w.jobs.colleague}`), 403, 'forbidden');
  });

  test('a contact disabled elsewhere is refused on the next read, not answered from the cache', async () => {
    const { w, other } = await fileWorld();
    await call(w, 'colleague', 'GET', 'jobs?limit=5');
    other.prepare('UPDATE contacts SET disabled = 1 WHERE id = ?').run(w.contact.colleague);
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=5'), 401, 'session_expired');
  });

  test('after logging out, the same read is refused (401), not answered from the cache', async () => {
    const w = await makePortalWorld();
    await call(w, 'colleague', 'GET', 'jobs?limit=5');
    assert.equal((await call(w, 'colleague', 'DELETE', 'session')).status, 204);
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=5'), 401, 'session_expired');
  });

  test('a session deleted elsewhere (log out everywhere from another server) is refused on the next read', async () => {
    const { w, other } = await fileWorld();
    await call(w, 'colleague', 'GET', 'jobs?limit=5');
    other.prepare('DELETE FROM sessions WHERE contact_id = ?').run(w.contact.colleague);
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=5'), 401, 'session_expired');
  });

  test('contacts of one company asking the same URL each get their own answer', async () => {
    const w = await makePortalWorld();
    const all = await json(await call(w, 'rec:view_all', 'GET', 'jobs?limit=100'));
    const own = await json(await call(w, 'rec:view_own', 'GET', 'jobs?limit=100'));
    const none = await call(w, 'rec:none', 'GET', 'jobs?limit=100');
    assert.ok(all.items.length > own.items.length);
    assert.deepEqual(own.items.map((j: { id: number }) => j.id).sort((a: number, b: number) => a - b), [w.jobs.own['rec:view_own'], w.jobs.named['rec:view_own']].sort((a, b) => a - b));
    await expectError(none, 403, 'forbidden');
    // And in the other order, once the view_own answer is cached.
    const allAgain = await json(await call(w, 'rec:view_all', 'GET', 'jobs?limit=100'));
    assert.deepEqual(allAgain, all);
  });

  test('another company\'s and another provider\'s contacts never get a cached answer of this company', async () => {
    const w = await makePortalWorld();
    const id = w.jobs.colleague;
    assert.equal((await call(w, 'colleague', 'GET', `jobs/${id}`)).status, 200);
    await expectError(await call(w, 'otherCompany', 'GET', `jobs/${id}`), 404, 'not_found');
    // The other provider's contact at this provider's URL: its session belongs elsewhere.
    await expectError(await call(w, 'otherProvider', 'GET', `jobs/${id}`, undefined, 'acme'), 401, 'session_expired');
    await expectError(await call(w, 'otherProvider', 'GET', `jobs/${id}`), 404, 'not_found');
  });

  test('bad input is refused every time, before and after a good answer is cached', async () => {
    const w = await makePortalWorld();
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=abc'), 400, 'validation_failed');
    assert.equal((await call(w, 'colleague', 'GET', 'jobs?limit=5')).status, 200);
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=abc'), 400, 'validation_failed');
    await expectError(await call(w, 'colleague', 'GET', 'jobs?limit=abc'), 400, 'validation_failed');
    await expectError(await call(w, 'colleague', 'GET', 'jobs/abc'), 400, 'validation_failed');
  });

  test('CORS is decided per request: a cached answer is not given to an unregistered origin', async () => {
    const w = await makePortalWorld();
    w.db.prepare('UPDATE providers SET allowed_origins = ? WHERE id = ?').run(JSON.stringify(['https://acme.example']), w.acme.id);
    const ask = async (origin: string): Promise<Response> =>
      w.app.request('/api/portal/acme/jobs?limit=5', { headers: { Authorization: `Bearer ${w.token.colleague}`, Origin: origin } });
    const ok = await ask('https://acme.example');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://acme.example');
    await expectError(await ask('https://evil.example'), 403, 'origin_not_allowed');
    const again = await ask('https://acme.example');
    assert.equal(again.headers.get('access-control-allow-origin'), 'https://acme.example');
    assert.equal(again.headers.get('cache-control'), 'no-store');
    assert.ok(again.headers.get('x-request-id'));
  });

  test('an answer from the cache carries the same headers as one made afresh', async () => {
    const w = await makePortalWorld();
    const ask = async (): Promise<Response> =>
      w.app.request('/api/portal/acme/jobs?limit=5', { headers: { Authorization: `Bearer ${w.token.colleague}`, Origin: 'http://localhost' } });
    const names = (res: Response): string[] => [...res.headers.keys()].filter((k) => k !== 'x-request-id').sort();
    const fresh = await ask();
    const cached = await ask();
    assert.equal(w.app.deps.cache.hits, 1);
    assert.deepEqual(names(cached), names(fresh));
    for (const name of names(fresh)) assert.equal(cached.headers.get(name), fresh.headers.get(name), name);
    // And the same as any other route's (a write, made without the fast path).
    const other = await w.app.request('/api/portal/acme/me', { headers: { Authorization: `Bearer ${w.token.colleague}` } });
    for (const name of ['cache-control', 'x-content-type-options', 'strict-transport-security', 'referrer-policy', 'x-frame-options', 'vary']) {
      assert.equal(cached.headers.get(name), other.headers.get(name), name);
    }
    assert.notEqual(cached.headers.get('x-request-id'), fresh.headers.get('x-request-id'), 'a request id per request');
  });

  test('with responseCacheChars 0 nothing is kept', async () => {
    const w = await makePortalWorld({ settings: { responseCacheChars: 0 } });
    await call(w, 'colleague', 'GET', 'jobs?limit=5');
    await call(w, 'colleague', 'GET', 'jobs?limit=5');
    assert.equal(w.app.deps.cache.hits, 0);
    assert.deepEqual(w.app.deps.cache.size, { entries: 0, chars: 0 });
  });
});

describe('job summaries kept for list pages (record fragments)', () => {
  // Pages of different URLs (searches, filters, sorts, cursors) that the response cache does not
  // hold are put together from the company's kept job summaries.
  const paths = ['jobs?limit=100', 'jobs?limit=3', 'jobs?sort=created&limit=4', 'jobs?q=leak', 'jobs?status=requested', 'jobs?q=a&sort=created&limit=2'];

  test('a page put together from kept summaries has the same body as one read whole (cache off), through every cursor', async () => {
    const w = await makePortalWorld();
    const uncached = createApp(w.db, defaultSettings({ log: () => {}, responseCacheChars: 0 }));
    const asked = async (app: typeof w.app, who: 'colleague' | 'rec:view_own', path: string): Promise<string> =>
      (await app.request(`/api/portal/acme/${path}`, { headers: { Authorization: `Bearer ${w.token[who]}` } })).text();
    for (const who of ['colleague', 'rec:view_own'] as const) {
      for (const start of paths) {
        let path: string | null = start;
        let pages = 0;
        while (path) {
          const kept = await asked(w.app, who, path);
          assert.equal(kept, await asked(uncached, who, path), `${who} ${path}`);
          const cursor: string | null = JSON.parse(kept).nextCursor;
          path = cursor ? `${start}&cursor=${cursor}` : null;
          pages++;
        }
        assert.ok(pages >= 1);
        if (who === 'colleague' && start.includes('limit=3')) assert.ok(pages > 2, `${who}: ${pages} pages of 3`);
      }
    }
    assert.equal(uncached.deps.cache.fragmentSize.chars, 0, 'nothing kept with the cache off');
    assert.ok(w.app.deps.cache.fragmentSize.chars > 0, 'summaries kept with the cache on');
  });

  test('summaries kept for one company never reach another company\'s or provider\'s page, nor an own-jobs viewer\'s beyond their own', async () => {
    const w = await makePortalWorld();
    // Keep every A1 summary.
    const a1 = await json(await call(w, 'colleague', 'GET', 'jobs?limit=100'));
    const a1Ids = new Set(a1.items.map((j: { id: number }) => j.id));
    assert.ok(a1Ids.has(w.jobs.colleague));
    for (const who of ['otherCompany', 'otherProvider'] as const) {
      for (const path of paths) {
        const page = await json(await call(w, who, 'GET', path));
        assert.ok(!page.items.some((j: { id: number }) => a1Ids.has(j.id)), `${who} ${path}`);
      }
    }
    const own = await json(await call(w, 'rec:view_own', 'GET', 'jobs?limit=50'));
    assert.deepEqual(sortedIds(own.items), visibleIds(w, w.jobs, 'rec:view_own'));
  });

  test('a job changed elsewhere shows in the next page of a URL never asked before', async () => {
    const { w, other } = await fileWorld();
    const id = w.jobs.colleague;
    await call(w, 'colleague', 'GET', 'jobs?limit=100');
    other.prepare('UPDATE jobs SET title = ?, status = ? WHERE id = ?').run('Changed for the next page', 'on_hold', id);
    const page = await json(await call(w, 'colleague', 'GET', 'jobs?limit=99'));
    const job = page.items.find((j: { id: number }) => j.id === id);
    assert.equal(job.title, 'Changed for the next page');
    assert.equal(job.status, 'on_hold');
  });
});

describe('ResponseCache', () => {
  test('keeps at most maxChars, dropping the least recently used first', () => {
    const cache = new ResponseCache(80);
    cache.set('a', 1, 'x'.repeat(10));
    cache.set('b', 1, 'y'.repeat(10));
    assert.equal(cache.get('a', 1), 'x'.repeat(10)); // a is now the most recently used
    for (let i = 0; i < 7; i++) cache.set(`c${i}`, 1, 'z'.repeat(10)); // 9 entries of 10: one must go
    assert.ok(cache.size.chars <= 80);
    assert.equal(cache.get('b', 1), undefined, 'b was the least recently used');
    assert.equal(cache.get('a', 1), 'x'.repeat(10));
  });

  test('an entry of another version is a miss and is dropped', () => {
    const cache = new ResponseCache(1000);
    cache.set('a', 1, 'old');
    assert.equal(cache.get('a', 2), undefined);
    assert.equal(cache.get('a', 1), undefined, 'dropped, not kept for later');
    assert.deepEqual(cache.size, { entries: 0, chars: 0 });
  });

  test('record fragments: per scope and version, bounded, the least recently used scope dropped first', () => {
    const cache = new ResponseCache(800); // fragments: 200 chars, 25 per scope
    const a = cache.fragments('jobs 1 1', 1)!;
    a.set(1, 'x'.repeat(10));
    a.set(2, 'y'.repeat(10));
    a.set(3, 'z'.repeat(10)); // would pass the scope's 25
    assert.equal(cache.fragments('jobs 1 1', 1)!.get(1), 'x'.repeat(10));
    assert.equal(a.get(3), undefined, 'a scope at its bound keeps what it has');
    assert.equal(cache.fragments('jobs 1 2', 1)!.get(1), undefined, 'another scope has its own');
    assert.equal(cache.fragments('jobs 1 1', 2)!.get(1), undefined, 'another version starts empty');
    assert.deepEqual(cache.fragmentSize, { scopes: 2, chars: 0 });
    // Fill scopes of 20 chars each past the 200: the least recently used go.
    for (let i = 0; i < 12; i++) {
      const s = cache.fragments(`jobs 2 ${i}`, 1)!;
      s.set(1, 'a'.repeat(10));
      s.set(2, 'b'.repeat(10));
      if (i === 0) cache.fragments('jobs 2 0', 1); // touched: not the least recently used
      assert.ok(cache.fragmentSize.chars <= 200);
    }
    assert.equal(cache.fragments('jobs 2 11', 1)!.get(1), 'a'.repeat(10));
    assert.equal(cache.fragments('jobs 2 1', 1)!.get(1), undefined, 'dropped');
    cache.clear();
    assert.deepEqual(cache.fragmentSize, { scopes: 0, chars: 0 });
    assert.equal(new ResponseCache(0).fragments('jobs 1 1', 1), undefined, 'none with the cache off');
  });

  test('a body larger than an eighth of the cache is not kept', () => {
    const cache = new ResponseCache(800);
    cache.set('big', 1, 'x'.repeat(101));
    assert.equal(cache.get('big', 1), undefined);
    cache.set('ok', 1, 'x'.repeat(100));
    assert.equal(cache.get('ok', 1), 'x'.repeat(100));
  });
});

describe('company change counters (migration 6)', () => {
  test('every write to what the portal shows moves its own company\'s counter and no other', async () => {
    const w = await makePortalWorld();
    const a1 = w.company.a1;
    const others = [w.company.a2, w.company.b1];
    const moves = (what: string, write: () => void): void => {
      const before = version(w, a1);
      const untouched = others.map((c) => version(w, c));
      write();
      assert.ok(version(w, a1) > before, `${what} moves A1's counter`);
      assert.deepEqual(others.map((c) => version(w, c)), untouched, `${what} leaves other companies' counters alone`);
    };
    const job = w.jobs.colleague;
    const quote = w.quotes.colleague;
    const run = (sql: string, ...params: unknown[]) => () => void w.db.prepare(sql).run(...params);
    moves('a job update', run("UPDATE jobs SET title = 'x' WHERE id = ?", job));
    moves('a timeline entry', () => addJobEvent(w.db, job, { type: 'note', message: 'hi', actor: 'office' }));
    moves('a timeline entry changed', run("UPDATE job_events SET message = 'changed' WHERE job_id = ?", job));
    moves('a timeline entry deleted', run('DELETE FROM job_events WHERE job_id = ?', job));
    moves('a quote update', run("UPDATE quotes SET title = 'x' WHERE id = ?", quote));
    moves('a quote line', run('UPDATE quote_lines SET quantity = 9 WHERE quote_id = ?', quote));
    moves('a quote line deleted', run('DELETE FROM quote_lines WHERE quote_id = ?', quote));
    moves('equipment', run("UPDATE equipment SET name = 'x' WHERE id = ?", w.equipment.a1[0]));
    moves('equipment deleted', run('DELETE FROM equipment WHERE id = ?', w.equipment.a1[1]));
    moves('a contact', run("UPDATE contacts SET perm_jobs = 'none' WHERE id = ?", w.contact.colleague));
    moves('the company', run("UPDATE companies SET phone = '1' WHERE id = ?", a1));
    moves('a job deleted', run('DELETE FROM jobs WHERE id = ?', job));
    moves('a quote deleted', run('DELETE FROM quotes WHERE id = ?', quote));
  });

  test('a job moved to another company moves both counters; a new company starts at 1', async () => {
    const w = await makePortalWorld();
    const [a1, a2] = [version(w, w.company.a1), version(w, w.company.a2)];
    w.db.prepare('UPDATE jobs SET company_id = ? WHERE id = ?').run(w.company.a2, w.jobs.unnamed);
    assert.ok(version(w, w.company.a1) > a1);
    assert.ok(version(w, w.company.a2) > a2);
    const id = Number(w.db.prepare("INSERT INTO companies (provider_id, name, created_at, updated_at) VALUES (?, 'New', 1, 1)").run(w.acme.id).lastInsertRowid);
    assert.equal(version(w, id), 1);
  });
});

describe('contact rows and providers read fresh when changed elsewhere', () => {
  test('a contact renamed from another connection shows in the next /me', async () => {
    const { w, other } = await fileWorld();
    await call(w, 'colleague', 'GET', 'me');
    other.prepare("UPDATE contacts SET name = 'Renamed Elsewhere' WHERE id = ?").run(w.contact.colleague);
    assert.equal((await json(await call(w, 'colleague', 'GET', 'me'))).contact.name, 'Renamed Elsewhere');
  });

  test('a provider\'s origins and theme changed from another connection count on the next request', async () => {
    const { w, other } = await fileWorld();
    const ask = async (path: string, origin: string): Promise<Response> => w.app.request(`/api/portal/acme/${path}`, { headers: { Origin: origin } });
    await expectError(await ask('config', 'https://new.example'), 403, 'origin_not_allowed');
    other.prepare('UPDATE providers SET allowed_origins = ?, theme = ? WHERE id = ?').run(JSON.stringify(['https://new.example']), JSON.stringify({ brandColor: '#123456' }), w.acme.id);
    const res = await ask('config', 'https://new.example');
    assert.equal(res.status, 200);
    assert.equal((await res.json()).theme.brandColor, '#123456');
  });

  test('taking a job number does not count as a settings change (the parsed provider is kept)', async () => {
    const w = await makePortalWorld();
    const revision = (): number => w.db.prepare('SELECT revision FROM providers WHERE id = ?').pluck().get(w.acme.id) as number;
    const before = revision();
    await call(w, 'colleague', 'POST', 'jobs', { title: 'Dripping tap' });
    assert.equal(revision(), before);
    w.db.prepare("UPDATE providers SET name = 'Acme Plumbing & Gas' WHERE id = ?").run(w.acme.id);
    assert.equal(revision(), before + 1);
    assert.equal((await json(await w.app.request('/api/portal/acme/config'))).name, 'Acme Plumbing & Gas');
  });
});

describe('iso()', () => {
  test('matches Date#toISOString for whole seconds from 1970 to 9999, and falls back outside them', () => {
    const cases = [0, 1, 59, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_400 /* 2100-03-01 */, 1_709_164_800 /* 2024-02-29 */, 253_402_300_799];
    for (let i = 0; i < 20_000; i++) cases.push(Math.floor(Math.random() * 253_402_300_800));
    for (const s of cases) assert.equal(iso(s), new Date(s * 1000).toISOString(), `${s}`);
    for (const s of [-1, -86_401, 1.5, 253_402_300_800]) assert.equal(iso(s), new Date(s * 1000).toISOString(), `${s}`);
    assert.equal(iso(null), null);
  });
});
