/**
 * Geocoding through the outbox against a Nominatim-compatible geocoder on loopback: a job created
 * without coordinates gets them (and a live event), answers are cached, requests are spaced by the
 * rate limit, failures are retried, an address the geocoder does not know is left alone, and
 * coordinates the office set meanwhile win.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { geocodeQueueCounts } from '../../server/geocoding/data.js';
import { Geocoder } from '../../server/geocoding/worker.js';
import { json, sleep } from './helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';

interface Geo {
  url: string;
  requests: { q: string; at: number; userAgent: string | undefined; format: string | null }[];
  /** What to answer next (status and body), by default a place for every address. */
  answers: { status: number; body: unknown }[];
  close(): Promise<void>;
}

async function geocoderOnLoopback(): Promise<Geo> {
  const geo: Omit<Geo, 'url' | 'close'> = { requests: [], answers: [] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams.get('q') ?? '';
    geo.requests.push({ q, at: Date.now(), userAgent: req.headers['user-agent'], format: url.searchParams.get('format') });
    const next = geo.answers.shift() ?? { status: 200, body: [{ lat: '-33.8688', lon: '151.2093', display_name: q }] };
    res.writeHead(next.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(next.body));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { ...geo, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

const newJob = async (w: ProviderWorld, address: string, extra: object = {}) =>
  json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Geocode me', address, ...extra }));
const providerJob = async (w: ProviderWorld, id: number) => json(await papi(w.app, w.keyA, 'GET', `/jobs/${id}`));
const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

describe('geocoding', () => {
  test('a job without coordinates gets them from the geocoder, with a live "location" change; answers are cached', async () => {
    const w = await makeProviderWorld();
    const geo = await geocoderOnLoopback();
    const worker = new Geocoder(w.db, { url: geo.url, userAgent: 'portal-tests/1', log: () => undefined, minIntervalMs: 50, idleMs: 20 });
    worker.start();
    try {
      const job = await newJob(w, '1 George Street, Sydney');
      await until(async () => (await providerJob(w, job.id)).latitude !== null, 'coordinates');
      assert.deepEqual([(await providerJob(w, job.id)).latitude, (await providerJob(w, job.id)).longitude], [-33.8688, 151.2093]);
      assert.deepEqual(geo.requests.map((r) => [r.q, r.format, r.userAgent]), [['1 George Street, Sydney', 'jsonv2', 'portal-tests/1']]);
      const live = w.db.prepare("SELECT data FROM live_events WHERE type = 'job.updated' ORDER BY id DESC LIMIT 1").pluck().get() as string;
      assert.deepEqual(JSON.parse(live).changed, ['location']);

      const same = await newJob(w, '  1 george street,   SYDNEY ');
      await until(async () => (await providerJob(w, same.id)).latitude !== null, 'coordinates from the cache');
      assert.equal(geo.requests.length, 1, 'the same address is not asked again');

      const given = await newJob(w, '9 Office Road', { latitude: -37.8, longitude: 144.9 });
      await sleep(150);
      assert.equal(geo.requests.some((r) => r.q === '9 Office Road'), false, 'a job with coordinates is not geocoded');
      assert.deepEqual([(await providerJob(w, given.id)).latitude], [-37.8]);
    } finally {
      worker.stop();
      await geo.close();
    }
  });

  test('requests are spaced by the rate limit', async () => {
    const w = await makeProviderWorld();
    const geo = await geocoderOnLoopback();
    const worker = new Geocoder(w.db, { url: geo.url, userAgent: 'portal-tests/1', log: () => undefined, minIntervalMs: 300, idleMs: 20 });
    for (const a of ['1 A Street', '2 B Street', '3 C Street']) await newJob(w, a);
    worker.start();
    try {
      await until(() => geo.requests.length === 3, 'three requests');
      const gaps = geo.requests.slice(1).map((r, i) => r.at - geo.requests[i]!.at);
      for (const gap of gaps) assert.ok(gap >= 290, `at least the interval apart (${gaps.join(', ')} ms)`);
    } finally {
      worker.stop();
      await geo.close();
    }
  });

  test('a failing geocoder is retried; an unknown address is left alone; office coordinates set meanwhile win', async () => {
    const w = await makeProviderWorld();
    const geo = await geocoderOnLoopback();
    const logs: string[] = [];
    const worker = new Geocoder(w.db, { url: geo.url, userAgent: 'portal-tests/1', log: (l) => logs.push(l), minIntervalMs: 20, idleMs: 20, retryBaseSeconds: 0 });
    geo.answers.push({ status: 503, body: { error: 'busy' } }, { status: 200, body: 'not a list' });
    const retried = await newJob(w, '5 Retry Lane');
    worker.start();
    try {
      await until(async () => (await providerJob(w, retried.id)).latitude !== null, 'coordinates after the retries');
      assert.equal(geo.requests.filter((r) => r.q === '5 Retry Lane').length, 3);
      assert.equal(logs.length, 2, 'each failure is logged');

      geo.answers.push({ status: 200, body: [] });
      const unknown = await newJob(w, 'Nowhere at all');
      await until(() => (geocodeQueueCounts(w.db).not_found ?? 0) === 1, 'not found');
      assert.equal((await providerJob(w, unknown.id)).latitude, null);

      worker.stop();
      const raced = await newJob(w, '7 Race Street');
      await papi(w.app, w.keyA, 'PATCH', `/jobs/${raced.id}`, { latitude: -37.81, longitude: 144.96 });
      worker.start();
      await until(() => geo.requests.some((r) => r.q === '7 Race Street'), 'the lookup');
      await sleep(50);
      assert.deepEqual([(await providerJob(w, raced.id)).latitude, (await providerJob(w, raced.id)).longitude], [-37.81, 144.96]);
    } finally {
      worker.stop();
      await geo.close();
    }
  });
});
