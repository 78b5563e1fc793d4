/**
 * What a change to a job leaves behind: an edit that changes nothing writes nothing (no timeline
 * entry, no webhook event, no new updated_at for syncs to fetch again), and scheduling a
 * requested job is one step on the customer's timeline, not two.
 */
import assert from 'node:assert/strict';
import type { JobEvent } from '../../server/jobs/schemas.js';
import { describe, test } from 'node:test';
import { addWebhookEndpoint } from '../../server/webhooks/outbox.js';
import { authed, json, nowSeconds, PASSWORD_A, tokenFor } from './helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';

const iso = (s: number): string => new Date(s * 1000).toISOString();
const portal = (w: ProviderWorld, token: string, path: string, init: RequestInit = {}) => authed(w.app, `/api/portal/acme/${path}`, token, init);
const patch = (w: ProviderWorld, token: string, id: number, body: unknown) =>
  portal(w, token, `jobs/${id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (w: ProviderWorld, sql: string, ...params: unknown[]): number => w.db.prepare(sql).pluck().get(...params) as number;
const timeline = async (w: ProviderWorld, token: string, id: number): Promise<JobEvent[]> =>
  (await json(await portal(w, token, `jobs/${id}`))).timeline;

async function setup(): Promise<{ w: ProviderWorld; token: string; jobId: number }> {
  const w = await makeProviderWorld();
  addWebhookEndpoint(w.db, w.acme.id, 'https://office.example/hooks', ['*']);
  const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
  const res = await portal(w, token, 'jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Leaking tap', address: '12 Quay St', description: 'Kitchen' }),
  });
  assert.equal(res.status, 201);
  return { w, token, jobId: (await res.json()).id };
}

describe('a customer edit that changes nothing', () => {
  test('answers 200 with the job, and writes no timeline entry, no webhook event and no new updated_at', async () => {
    const { w, token, jobId } = await setup();
    w.db.prepare('UPDATE jobs SET updated_at = updated_at - 100 WHERE id = ?').run(jobId);
    const updatedAt = count(w, 'SELECT updated_at FROM jobs WHERE id = ?', jobId);
    const events = count(w, 'SELECT count(*) FROM job_events WHERE job_id = ?', jobId);
    const hooks = count(w, 'SELECT count(*) FROM webhook_events');

    const res = await patch(w, token, jobId, { title: 'Leaking tap', address: '12 Quay St' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).title, 'Leaking tap');
    assert.equal(count(w, 'SELECT count(*) FROM job_events WHERE job_id = ?', jobId), events, 'no timeline entry');
    assert.equal(count(w, 'SELECT count(*) FROM webhook_events'), hooks, 'no job.updated event');
    assert.equal(count(w, 'SELECT updated_at FROM jobs WHERE id = ?', jobId), updatedAt, 'updated_at untouched');
  });

  test('an edit mixing unchanged and changed fields names only what changed, in the event and on the timeline', async () => {
    const { w, token, jobId } = await setup();
    const res = await patch(w, token, jobId, { title: 'Leaking tap', description: 'Kitchen, drips all night' });
    assert.equal(res.status, 200);
    const event = w.db.prepare("SELECT payload FROM webhook_events WHERE type = 'job.updated'").pluck().all() as string[];
    assert.equal(event.length, 1);
    assert.deepEqual(JSON.parse(event[0]!).data.changed, ['description']);
    const last = (await timeline(w, token, jobId)).at(-1)!;
    assert.deepEqual([last.type, last.message], ['updated', 'Changed in the customer portal: description']);
  });
});

describe('office changes on the timeline', () => {
  const start = (): number => Math.floor(nowSeconds() / 60) * 60 + 2 * 86_400;

  test('scheduling a requested job is one "scheduled" entry carrying the new status, with the note', async () => {
    const { w, token, jobId } = await setup();
    const at = start();
    const res = await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(at), technician: 'Sam Spanner', note: 'Bring a ladder' });
    assert.equal(res.status, 200);
    const entries = (await timeline(w, token, jobId)).slice(1); // after "created"
    assert.deepEqual(
      entries.map((e) => [e.type, e.status]),
      [
        ['scheduled', 'scheduled'],
        ['technician_assigned', null],
      ],
    );
    assert.equal(entries[0]!.message, `Scheduled for ${iso(at).slice(0, 16).replace('T', ' ')} UTC: Bring a ladder`);
  });

  test('each entry says what happened as data too: the window, the technician, the note (the browser formats the times)', async () => {
    const { w, token, jobId } = await setup();
    const at = start();
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(at), scheduledEnd: iso(at + 7200), technician: 'Sam Spanner', note: 'Bring a ladder' });
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { status: 'on_the_way', note: 'Ten minutes away' });
    const [created, scheduled, assigned, moving] = await timeline(w, token, jobId);
    assert.deepEqual([created!.scheduledStart, created!.technician, created!.note], [null, null, null]);
    assert.deepEqual(
      [scheduled!.scheduledStart, scheduled!.scheduledEnd, scheduled!.technician, scheduled!.note],
      [iso(at), iso(at + 7200), 'Sam Spanner', 'Bring a ladder'],
    );
    assert.deepEqual([assigned!.type, assigned!.technician, assigned!.scheduledStart], ['technician_assigned', 'Sam Spanner', null]);
    assert.deepEqual([moving!.status, moving!.note, moving!.scheduledStart], ['on_the_way', 'Ten minutes away', null]);
    // The provider reads the same entries.
    const office = (await (await papi(w.app, w.keyA, 'GET', `/jobs/${jobId}`)).json()) as { timeline: typeof scheduled[] };
    assert.deepEqual(office.timeline[1], scheduled);
  });

  test('rescheduling keeps the status and says so once; scheduling with another status says both', async () => {
    const { w, token, jobId } = await setup();
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(start()) });
    const before = (await timeline(w, token, jobId)).length;
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(start() + 86_400) });
    const moved = (await timeline(w, token, jobId)).slice(before);
    assert.deepEqual(moved.map((e) => [e.type, e.status]), [['scheduled', null]]);

    const other = await setup();
    await papi(other.w.app, other.w.keyA, 'PATCH', `/jobs/${other.jobId}`, { scheduledStart: iso(start()), status: 'on_the_way' });
    const entries = (await timeline(other.w, other.token, other.jobId)).slice(1);
    assert.deepEqual(
      entries.map((e) => [e.type, e.status]),
      [
        ['scheduled', null],
        ['status_changed', 'on_the_way'],
      ],
    );
  });

  test('an office PATCH that changes nothing writes nothing, so an updated_since sync does not fetch the job again', async () => {
    const { w, jobId } = await setup();
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(start()), technician: 'Sam' });
    w.db.prepare('UPDATE jobs SET updated_at = updated_at - 100 WHERE id = ?').run(jobId);
    const updatedAt = count(w, 'SELECT updated_at FROM jobs WHERE id = ?', jobId);
    const events = count(w, 'SELECT count(*) FROM job_events WHERE job_id = ?', jobId);
    const since = iso(updatedAt + 1);

    const res = await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { scheduledStart: iso(start()), technician: 'Sam', title: 'Leaking tap' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).technician, 'Sam');
    assert.equal(count(w, 'SELECT updated_at FROM jobs WHERE id = ?', jobId), updatedAt);
    assert.equal(count(w, 'SELECT count(*) FROM job_events WHERE job_id = ?', jobId), events);
    const sync = await json(await papi(w.app, w.keyA, 'GET', `/jobs?updated_since=${encodeURIComponent(since)}`));
    assert.ok(!sync.items.some((j: { id: number }) => j.id === jobId), 'not in the next sync');

    // A note alone is news: one note entry.
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, { note: 'Parts ordered' });
    assert.equal(count(w, 'SELECT count(*) FROM job_events WHERE job_id = ?', jobId), events + 1);
  });
});
