/**
 * The live stream (GET /api/portal/:provider/live): what each contact receives is what they could
 * GET (own/all/none, map off, other company, other provider), resume with Last-Event-ID (missed
 * events once; too old: reload), logout / disable / permission change end or narrow the stream,
 * bounds (per contact, per server, slow readers), heartbeats, positions coarsened, and a writer in
 * another process reaching the stream.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { createApp } from '../../server/app.js';
import { createApiKey } from '../../server/providers/api-keys.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { getJob, insertJob } from '../../server/jobs/data.js';
import { createProvider } from '../../server/providers/data.js';
import { getQuote, insertQuote } from '../../server/quotes/data.js';
import { openDatabase } from '../../server/db/index.js';
import { mayReceive, type StoredLiveEvent } from '../../server/live/filter.js';
import { publishJob, publishPosition, publishQuote } from '../../server/live/publish.js';
import { CELL_DEGREES } from '../../server/map/coarsen.js';
import { viewerOf } from '../../server/permissions.js';
import { RECORD_ACCESS } from '../../server/contract.js';
import { defaultSettings } from '../../server/settings.js';
import { authed, expectError, json } from './helpers.js';
import { openStream, settle, SseReader } from './live-helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'portal-live-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const token = async (w: ProviderWorld, contactId: number, providerId = w.acme.id): Promise<string> => (await w.app.deps.auth.create(contactId, providerId)).token;

function job(w: ProviderWorld, o: { company?: number; contact?: number | null; createdBy?: number | null; status?: 'scheduled' | 'on_the_way'; coords?: boolean } = {}): number {
  return insertJob(w.db, w.acme.id, {
    companyId: o.company ?? w.ids.acmeCompany,
    title: 'Leaking tap',
    address: '12 Quay St',
    status: o.status ?? 'scheduled',
    source: o.createdBy ? 'portal' : 'office',
    createdByContactId: o.createdBy ?? null,
    contactId: o.contact ?? null,
    ...(o.coords ? { latitude: -33.865, longitude: 151.209 } : {}),
  });
}

const patchJob = (w: ProviderWorld, id: number, body: object) => papi(w.app, w.keyA, 'PATCH', `/jobs/${id}`, body);

describe('GET live: the stream itself', () => {
  test('opens with text/event-stream, no-cache, no compression, and a ready frame carrying the id to resume from', async () => {
    const w = await makeProviderWorld();
    const s = await openStream(w.app, 'acme', await token(w, w.ids.alice));
    assert.match(s.response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(s.response.headers.get('cache-control') ?? '', /no-cache/);
    assert.equal(s.response.headers.get('content-encoding'), null);
    const ready = await s.untilEvent('ready');
    assert.equal(ready.id, String(ready.data.lastEventId));
    assert.equal(typeof ready.data.heartbeatMs, 'number');
    s.close();
  });

  test('needs a live session of this provider; a bad Last-Event-ID is a 400', async () => {
    const w = await makeProviderWorld();
    await expectError(await w.app.request('/api/portal/acme/live'), 401, 'unauthenticated');
    const bright = await token(w, w.ids.sharedAtBright, w.bright.id);
    await expectError(await authed(w.app, '/api/portal/acme/live', bright), 401, 'session_expired');
    const alice = await token(w, w.ids.alice);
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(20)]) {
      const e = await expectError(await authed(w.app, '/api/portal/acme/live', alice, { headers: { 'Last-Event-ID': bad } }), 400, 'validation_failed');
      assert.ok(e.fields?.['Last-Event-ID'], `${bad}: the header is named`);
    }
  });

  test('answers CORS for the provider\'s origins, and allows Last-Event-ID in the preflight', async () => {
    const w = await makeProviderWorld();
    const pre = await w.app.request('/api/portal/acme/live', {
      method: 'OPTIONS',
      headers: { Origin: 'https://www.acme-plumbing.example', 'Access-Control-Request-Headers': 'authorization, last-event-id' },
    });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Last-Event-ID/);
    const res = await authed(w.app, '/api/portal/acme/live', await token(w, w.ids.alice), { headers: { Origin: 'https://www.acme-plumbing.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://www.acme-plumbing.example');
    new SseReader(res).close();
  });

  test('heartbeats keep an idle stream busy', async () => {
    const w = await makeProviderWorld({ live: { ...defaultSettings().live, heartbeatMs: 40 } });
    const s = await openStream(w.app, 'acme', await token(w, w.ids.alice));
    await s.until((r) => r.frames.filter((f) => f.event === 'comment').length >= 2, 'two heartbeats');
    s.close();
  });
});

describe('filtering: a contact receives exactly what they could GET', () => {
  test('property: over random permissions and record owners, an event is received iff the REST route shows its record', async () => {
    const w = await makeProviderWorld();
    const viewerId = createContact(w.db, w.acme.id, { companyId: w.ids.acmeCompany, email: 'viewer@example.com', name: 'V' });
    const colleague = w.ids.sharedAtAcme;
    const lastEvent = (): StoredLiveEvent => w.db.prepare('SELECT * FROM live_events ORDER BY id DESC LIMIT 1').get() as StoredLiveEvent;
    const contactRow = () => w.db.prepare('SELECT * FROM contacts WHERE id = ?').get(viewerId) as Parameters<typeof viewerOf>[0];
    const owner = fc.constantFrom<'viewer' | 'colleague' | null>('viewer', 'colleague', null);
    await fc.assert(
      fc.property(
        fc.record({
          jobs: fc.constantFrom(...RECORD_ACCESS),
          quotes: fc.constantFrom(...RECORD_ACCESS),
          map: fc.boolean(),
          providerMap: fc.boolean(),
          kind: fc.constantFrom('job', 'position', 'quote'),
          company: fc.constantFrom('same', 'other'),
          createdBy: owner,
          contact: owner,
        }),
        (p) => {
          w.db.prepare('UPDATE contacts SET perm_jobs = ?, perm_quotes = ?, perm_map = ? WHERE id = ?').run(p.jobs, p.quotes, p.map ? 1 : 0, viewerId);
          const who = (o: typeof p.createdBy) => (o === 'viewer' ? viewerId : o === 'colleague' ? colleague : null);
          const companyId = p.company === 'same' ? w.ids.acmeCompany : w.ids.acmeOtherCompany;
          const viewer = { ...viewerOf(contactRow()), providerMap: p.providerMap };
          let visible: boolean;
          if (p.kind === 'quote') {
            const id = insertQuote(w.db, w.acme.id, { companyId, title: 'Q', source: 'office', createdByContactId: who(p.createdBy), contactId: who(p.contact) });
            publishQuote(w.db, w.acme.id, id, 'quote.sent');
            visible = canGet(() => getQuote(w.db, viewer, id));
          } else {
            const id = job(w, { company: companyId, createdBy: who(p.createdBy), contact: who(p.contact) });
            if (p.kind === 'job') publishJob(w.db, w.acme.id, id, null);
            else publishPosition(w.db, w.acme.id, id, -33.86, 151.2, 1_700_000_000);
            visible = canGet(() => getJob(w.db, viewer, id)) && (p.kind === 'job' || (p.map && p.providerMap));
          }
          assert.equal(mayReceive(viewer, lastEvent()), visible, JSON.stringify(p));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('streams of several contacts: each gets its own view, never another company\'s or provider\'s', async () => {
    const w = await makeProviderWorld();
    // alice: jobs edit_all, quotes view_own. shared: defaults (view_own). bob: other company. bright: other provider.
    const none = createContact(w.db, w.acme.id, { companyId: w.ids.acmeCompany, email: 'none@example.com', name: 'N', permissions: { jobs: 'none', quotes: 'none' } });
    const noMap = createContact(w.db, w.acme.id, { companyId: w.ids.acmeCompany, email: 'nomap@example.com', name: 'M', permissions: { jobs: 'view_all', map: false } });
    const names = { alice: w.ids.alice, shared: w.ids.sharedAtAcme, bob: w.ids.bob, none, noMap } as const;
    const streams = Object.fromEntries(await Promise.all(Object.entries(names).map(async ([n, id]) => [n, await openStream(w.app, 'acme', await token(w, id))] as const)));
    const brightStream = await openStream(w.app, 'bright', await token(w, w.ids.sharedAtBright, w.bright.id));
    for (const s of [...Object.values(streams), brightStream]) await s.untilEvent('ready');

    const companyJob = job(w, { status: 'scheduled' });
    const sharedJob = job(w, { contact: w.ids.sharedAtAcme });
    const bobJob = job(w, { company: w.ids.acmeOtherCompany, contact: w.ids.bob });
    assert.equal((await patchJob(w, companyJob, { status: 'on_the_way', technician: 'Dana' })).status, 200);
    assert.equal((await patchJob(w, sharedJob, { note: 'Parts ordered' })).status, 200);
    assert.equal((await patchJob(w, bobJob, { status: 'on_the_way' })).status, 200);
    assert.equal((await papi(w.app, w.keyA, 'POST', `/jobs/${companyJob}/position`, { latitude: -33.8612, longitude: 151.2101 })).status, 201);
    const bq = await json(await papi(w.app, w.keyB, 'POST', '/quotes', { companyId: w.ids.brightCompany, title: 'Bright only', contactId: w.ids.sharedAtBright }));
    await settle(200);

    const got = (n: keyof typeof streams) => streams[n]!.events.map((f) => `${f.event}:${f.data.data.job?.id ?? f.data.data.jobId ?? f.data.data.quote?.id}`);
    assert.deepEqual(got('alice'), [`job.updated:${companyJob}`, `job.updated:${sharedJob}`, `job.position:${companyJob}`]);
    assert.deepEqual(got('shared'), [`job.updated:${sharedJob}`], 'view_own: only the job naming them');
    assert.deepEqual(got('bob'), [`job.updated:${bobJob}`], 'other company: only their own');
    assert.deepEqual(got('none'), [], 'jobs none: nothing');
    assert.deepEqual(got('noMap'), [`job.updated:${companyJob}`, `job.updated:${sharedJob}`], 'map off: jobs but no positions');
    assert.deepEqual(brightStream.events.map((f) => f.data.data.quote?.id), [bq.id], 'other provider: only its own');

    // What was received is what GET answers: the same summary the list shows.
    const aliceToken = await token(w, w.ids.alice);
    const listed = (await json(await authed(w.app, '/api/portal/acme/jobs', aliceToken))).items.find((j: { id: number }) => j.id === companyJob);
    const received = streams.alice!.events[0]!.data;
    assert.deepEqual(received.data.job, listed);
    assert.deepEqual(received.data.changed.sort(), ['status', 'technician', 'timeline']);
    for (const s of [...Object.values(streams), brightStream]) s.close();
  });

  test('positions are coarsened to about 500 m; exact only on the way, where the provider allows it', async () => {
    const w = await makeProviderWorld();
    const id = job(w, { status: 'on_the_way', coords: true });
    const s = await openStream(w.app, 'acme', await token(w, w.ids.alice));
    await s.untilEvent('ready');
    const exact = { latitude: -33.86123, longitude: 151.21017 };
    await papi(w.app, w.keyA, 'POST', `/jobs/${id}/position`, exact);
    await s.until((r) => r.events.length === 1, 'a position');
    const coarse = s.events[0]!.data.data;
    assert.equal(coarse.precision, 'approximate');
    assert.notDeepEqual([coarse.latitude, coarse.longitude], [exact.latitude, exact.longitude]);
    assert.ok(Math.abs(coarse.latitude - exact.latitude) <= CELL_DEGREES / 2 + 1e-9, 'within half a cell');
    assert.ok(Math.abs(coarse.longitude - exact.longitude) <= CELL_DEGREES, 'within a cell of longitude');

    assert.equal((await papi(w.app, w.keyA, 'PUT', '/map/settings', { exactPositionOnTheWay: true })).status, 200);
    await papi(w.app, w.keyA, 'POST', `/jobs/${id}/position`, exact);
    await s.until((r) => r.events.length === 2, 'a second position');
    assert.deepEqual(s.events[1]!.data.data, { jobId: id, ...exact, at: s.events[1]!.data.data.at, precision: 'exact' });

    // At work the technician is coarsened again, setting or not.
    await patchJob(w, id, { status: 'in_progress' });
    await papi(w.app, w.keyA, 'POST', `/jobs/${id}/position`, exact);
    await s.until((r) => r.events.length === 4, 'the status change and a third position');
    assert.equal(s.events[3]!.data.data.precision, 'approximate');
    await expectError(await papi(w.app, w.keyA, 'PUT', '/map/settings', { exactPositionOnTheWay: 'yes' }), 400, 'validation_failed');
    s.close();
  });
});

describe('resume with Last-Event-ID', () => {
  test('a reconnect gets what it missed, exactly once, then the live events', async () => {
    const w = await makeProviderWorld();
    const t = await token(w, w.ids.alice);
    const id = job(w);
    const first = await openStream(w.app, 'acme', t);
    const ready = await first.untilEvent('ready');
    first.close();
    for (const note of ['one', 'two', 'three']) await patchJob(w, id, { note });

    const again = await openStream(w.app, 'acme', t, ready.id!);
    await again.untilEvent('ready');
    assert.equal(again.events.length, 3);
    const ids = again.events.map((f) => Number(f.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    const secondId = again.events[1]!.id!;
    await patchJob(w, id, { note: 'four' });
    await again.until((r) => r.events.length === 4, 'the live event after the replay');
    await settle(150);
    assert.equal(again.events.length, 4, 'nothing twice');
    again.close();

    const fromSecond = await openStream(w.app, 'acme', t, secondId);
    await fromSecond.untilEvent('ready');
    assert.deepEqual(fromSecond.events.map((f) => f.id), [again.events[2]!.id, again.events[3]!.id]);
    fromSecond.close();
  });

  test('a resume point older than the log keeps (or beyond what it may replay) gets "reload"', async () => {
    const w = await makeProviderWorld({ live: { ...defaultSettings().live, maxReplay: 2 } });
    const t = await token(w, w.ids.alice);
    const id = job(w);
    const s = await openStream(w.app, 'acme', t);
    const ready = await s.untilEvent('ready');
    s.close();
    for (const note of ['a', 'b', 'c']) await patchJob(w, id, { note });
    const tooMany = await openStream(w.app, 'acme', t, ready.id!);
    assert.deepEqual((await tooMany.untilEvent('reload')).data, { reason: 'too_old' });
    await tooMany.untilEvent('ready');
    assert.equal(tooMany.events.length, 0);
    tooMany.close();

    w.db.prepare('DELETE FROM live_events').run(); // pruned
    const pruned = await openStream(w.app, 'acme', t, ready.id!);
    await pruned.untilEvent('reload');
    pruned.close();
    const future = await openStream(w.app, 'acme', t, '999999');
    await future.untilEvent('reload');
    future.close();
  });
});

describe('session and permission changes end or narrow the stream at once', () => {
  test('logout, log out everywhere and a disabled contact end their streams', async () => {
    const w = await makeProviderWorld();
    const t1 = await token(w, w.ids.alice);
    const s1 = await openStream(w.app, 'acme', t1);
    await s1.untilEvent('ready');
    assert.equal((await authed(w.app, '/api/portal/acme/session', t1, { method: 'DELETE' })).status, 204);
    assert.deepEqual((await s1.untilEvent('end')).data, { reason: 'session_ended' });
    await s1.until((r) => r.done, 'the stream to close');

    const [t2, t3] = [await token(w, w.ids.alice), await token(w, w.ids.alice)];
    const [s2, s3] = [await openStream(w.app, 'acme', t2), await openStream(w.app, 'acme', t3)];
    assert.equal((await authed(w.app, '/api/portal/acme/sessions', t2, { method: 'DELETE' })).status, 204);
    for (const s of [s2, s3]) await s.untilEvent('end');

    const t4 = await token(w, w.ids.sharedAtAcme);
    const s4 = await openStream(w.app, 'acme', t4);
    await s4.untilEvent('ready');
    assert.equal((await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.sharedAtAcme}`, { disabled: true })).status, 200);
    assert.equal((await s4.untilEvent('end')).data.reason, 'session_ended');
  });

  test('a session reaching its expiry ends its stream, with nothing written in between', async () => {
    const w = await makeProviderWorld({ sessionTtlMs: 1000 });
    const s = await openStream(w.app, 'acme', await token(w, w.ids.alice));
    await s.untilEvent('ready');
    assert.deepEqual((await s.untilEvent('end', 4000)).data, { reason: 'session_ended' });
  });

  test('a narrowed permission narrows the stream: "reload", then nothing the contact may no longer GET', async () => {
    const w = await makeProviderWorld();
    const s = await openStream(w.app, 'acme', await token(w, w.ids.alice));
    await s.untilEvent('ready');
    const id = job(w);
    await patchJob(w, id, { note: 'seen' });
    await s.until((r) => r.events.length === 1, 'the first change');
    await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, { permissions: { jobs: 'none' } });
    assert.deepEqual((await s.untilEvent('reload')).data, { reason: 'permissions' });
    await patchJob(w, id, { note: 'not seen' });
    await settle(200);
    assert.equal(s.events.length, 1);
    s.close();
  });
});

describe('bounds', () => {
  test('a contact\'s streams beyond the limit replace the oldest; the server\'s limit answers 503', async () => {
    const w = await makeProviderWorld({ live: { ...defaultSettings().live, maxStreamsPerContact: 2, maxStreams: 3 } });
    const t = await token(w, w.ids.alice);
    const [a, b] = [await openStream(w.app, 'acme', t), await openStream(w.app, 'acme', t)];
    const c = await openStream(w.app, 'acme', t);
    assert.deepEqual((await a.untilEvent('end')).data, { reason: 'replaced' });
    assert.equal(b.frames.some((f) => f.event === 'end'), false);
    await openStream(w.app, 'acme', await token(w, w.ids.sharedAtAcme));
    const full = await authed(w.app, '/api/portal/acme/live', await token(w, w.ids.bob));
    await expectError(full, 503, 'too_many_streams');
    assert.equal(full.headers.get('retry-after'), '30');
    b.close();
    c.close();
  });

  test('a reader that does not keep up is dropped, not buffered without limit', async () => {
    const w = await makeProviderWorld({ live: { ...defaultSettings().live, maxQueueBytes: 2048 } });
    const res = await authed(w.app, '/api/portal/acme/live', await token(w, w.ids.alice));
    assert.equal(res.status, 200);
    assert.equal(w.app.deps.live.size, 1);
    const id = job(w);
    // Nobody reads res.body: the queue fills.
    for (let i = 0; i < 20; i++) await patchJob(w, id, { note: `note ${i} ${'x'.repeat(200)}` });
    await settle(100);
    assert.equal(w.app.deps.live.size, 0, 'the stream was dropped');
    await assert.rejects(async () => {
      const reader = res.body!.getReader();
      for (;;) if ((await reader.read()).done) break;
    });
  });
});

describe('writes from another process', () => {
  test('a job changed by another process on the same database reaches the stream', async () => {
    const file = join(dir, 'cross.db');
    const db = openDatabase(file);
    const provider = createProvider(db, { slug: 'cross', name: 'Cross' });
    const company = createCompany(db, provider.id, { name: 'C' });
    const contact = createContact(db, provider.id, { companyId: company, email: 'c@example.com', name: 'C', permissions: { jobs: 'view_all' } });
    const jobId = insertJob(db, provider.id, { companyId: company, title: 'T', source: 'office' });
    createApiKey(db, provider.id, 'k');
    const app = createApp(db, defaultSettings({ log: () => undefined }));
    const { token: t } = await app.deps.auth.create(contact, provider.id);
    const s = await openStream(app, 'cross', t);
    await s.untilEvent('ready');

    const script = `
      import { openDatabase } from './server/db/index.ts';
      import { updateProviderJob } from './server/jobs/provider-data.ts';
      const db = openDatabase(${JSON.stringify(file)});
      updateProviderJob(db, ${provider.id}, ${jobId}, { status: 'on_the_way' });
      db.close();`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    await s.until((r) => r.events.length === 1, 'the other process\'s change', 5000);
    assert.equal(s.events[0]!.data.data.job.status, 'on_the_way');
    s.close();
    app.deps.live.stop();
    db.close();
  });
});

function canGet(get: () => unknown): boolean {
  try {
    get();
    return true;
  } catch {
    return false;
  }
}
