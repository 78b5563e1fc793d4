/**
 * The provider's office, simulated: a small loop that works the demo providers' jobs and quotes
 * through the real provider API with an API key, as a scheduling system would. It schedules
 * requested jobs, sends a technician on the way (driving a route through the town toward the
 * job, a position every few seconds), starts and completes jobs, and prices requested quotes. The
 * demo pages change by themselves: rows change status and the map's marker moves, no reload.
 */
import { demoPhoto } from './photos.js';
import type { Db } from '../server/db/index.js';
import { createApiKey } from '../server/providers/api-keys.js';
import { stmt } from '../server/db/index.js';
import { getProviderBySlug } from '../server/providers/data.js';
import { DEMO_PROVIDERS } from './seed.js';
import { TRADES, businessSlot, nextStep, quoteLines, type OfficeJob } from './work.js';

/** Each demo provider's trade: its quotes are priced from that trade's catalogue. */
const TRADE_OF: Record<string, keyof typeof TRADES> = { 'acme-plumbing': 'plumbing', 'bright-electric': 'electrical' };

interface Job extends OfficeJob {
  number: string;
  companyId: number;
  latitude: number | null;
  longitude: number | null;
}

export interface Office {
  /** One round of work; resolves with what it did (for logs and tests). */
  tick(): Promise<string[]>;
  /** One step along the route for every technician on the way (its own, faster clock). */
  drive(): Promise<void>;
  stop(): void;
}

const TECHNICIANS = ['Dana Reyes', 'Luis Ortega', 'Priya Shah', 'Chris Wong'];
/** Positions on the way from the depot to a job. */
export const ROUTE_STEPS = 24;

/**
 * The drive from the depot (about 2 km south-west of the job) to the job along the town's grid:
 * north up one street, east along another, then the last block north. `step` 0 is the depot,
 * ROUTE_STEPS the job's door.
 */
export function routePosition(job: { latitude: number; longitude: number }, step: number): { latitude: number; longitude: number } {
  const depot = { latitude: job.latitude - 0.014, longitude: job.longitude - 0.012 };
  const corners = [depot, { latitude: job.latitude - 0.004, longitude: depot.longitude }, { latitude: job.latitude - 0.004, longitude: job.longitude }, job];
  const legs = corners.slice(1).map((c, i) => Math.abs(c.latitude - corners[i]!.latitude) + Math.abs(c.longitude - corners[i]!.longitude));
  let left = (Math.min(Math.max(step, 0), ROUTE_STEPS) / ROUTE_STEPS) * legs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < legs.length; i++) {
    const from = corners[i]!;
    const to = corners[i + 1]!;
    if (left <= legs[i]! || i === legs.length - 1) {
      const f = legs[i] ? Math.min(1, left / legs[i]!) : 1;
      const round = (x: number) => Math.round(x * 1e6) / 1e6;
      return { latitude: round(from.latitude + (to.latitude - from.latitude) * f), longitude: round(from.longitude + (to.longitude - from.longitude) * f) };
    }
    left -= legs[i]!;
  }
  return job;
}

/** A fresh API key per demo provider for the simulator; earlier simulator keys are revoked. */
export function simulatorKeys(db: Db): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const slug of DEMO_PROVIDERS) {
    const p = getProviderBySlug(db, slug);
    if (!p) continue;
    stmt(db, "UPDATE api_keys SET revoked_at = unixepoch() WHERE provider_id = ? AND name = 'office simulator' AND revoked_at IS NULL").run(p.id);
    keys[slug] = createApiKey(db, p.id, 'office simulator').key;
  }
  return keys;
}

export function startOffice(options: { baseUrl: string; keys: Record<string, string>; intervalMs?: number; positionMs?: number; log?: (line: string) => void }): Office {
  const progress = new Map<string, number>();
  /** The technicians on the way: where their job is, per provider key and job id. */
  const driving = new Map<string, { key: string; id: number; latitude: number; longitude: number }>();
  const zones = new Map<string, string>();
  // The provider's zone, from its public configuration (UTC if it cannot be read).
  const providerZone = async (slug: string): Promise<string> => {
    const r = await fetch(`${options.baseUrl}/api/portal/${slug}/config`).catch(() => null);
    return r?.ok ? ((await r.json()) as { timeZone?: string }).timeZone ?? 'UTC' : 'UTC';
  };
  const log = options.log ?? (() => undefined);

  async function call<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${options.baseUrl}/api/provider/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Idempotency-Key': `office-${method}-${path}-${Date.now()}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  async function upload<T>(key: string, path: string, bytes: Buffer): Promise<T> {
    const r = await fetch(`${options.baseUrl}/api/provider/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: new Uint8Array(bytes) });
    if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  async function workProvider(slug: string, key: string): Promise<string[]> {
    const done: string[] = [];
    const { items: jobs } = await call<{ items: Job[] }>(key, 'GET', '/jobs?limit=500');
    const now = Date.now();
    const pick = (status: string) => jobs.filter((j) => j.status === status);
    const iso = (ms: number) => new Date(ms).toISOString();

    const trade = TRADES[TRADE_OF[slug] ?? 'plumbing'];
    const zone = (zones.get(slug) ?? (await providerZone(slug)));
    zones.set(slug, zone);

    // New work keeps coming in (a call to the office), so the demo never runs dry.
    const open = jobs.filter((j) => !['completed', 'cancelled'].includes(j.status)).length;
    if (jobs.length && (open < 8 || Math.random() < 0.15)) {
      const companyId = jobs[Math.floor(Math.random() * jobs.length)]!.companyId;
      const made = await call<Job>(key, 'POST', '/jobs', { companyId, title: trade.jobs[Math.floor(Math.random() * trade.jobs.length)]!, description: 'Phoned in to the office.' });
      done.push(`${slug} ${made.number}: new request`);
    }

    const requested = pick('requested')[0];
    if (requested) {
      // Booked into business hours in the provider's zone, a day or more ahead.
      const slot = businessSlot(now + 20 * 60 * 60_000, zone);
      await call(key, 'PATCH', `/jobs/${requested.id}`, {
        scheduledStart: iso(slot.start),
        scheduledEnd: iso(slot.end),
        technician: TECHNICIANS[requested.id % TECHNICIANS.length],
        note: 'Booked by the office',
        status: 'scheduled',
      });
      done.push(`${slug} ${requested.number}: scheduled`);
    }

    for (const job of pick('on_the_way')) {
      const k = `${slug}:${job.id}`;
      if (job.latitude !== null && job.longitude !== null) {
        // The drive itself runs on its own, faster clock (drive() below).
        if (!driving.has(k)) driving.set(k, { key, id: job.id, latitude: job.latitude, longitude: job.longitude });
      } else progress.set(k, (progress.get(k) ?? 0) + 1); // no coordinates: arrives after a few rounds
      if ((progress.get(k) ?? 0) >= ROUTE_STEPS || (job.latitude === null && (progress.get(k) ?? 0) >= 3)) {
        driving.delete(k);
        progress.delete(k);
        await call(key, 'PATCH', `/jobs/${job.id}`, { status: 'in_progress', note: 'Technician arrived' });
        done.push(`${slug} ${job.number}: arrived, work started`);
      }
    }

    // By the clock: on the way shortly before the appointment, done an hour or more after starting.
    for (const job of jobs.filter((j) => j.status !== 'on_the_way')) {
      const step = nextStep(job, now);
      if (!step) continue;
      await call(key, 'PATCH', `/jobs/${job.id}`, step);
      if (step.status === 'completed') {
        // The technician's "after" photo goes up hidden, as every office file does, and is then shown.
        const photo = await upload<{ id: number }>(key, `/jobs/${job.id}/files?name=after-${job.number}.jpg&caption=${encodeURIComponent('After: all fixed')}`, await demoPhoto(`After: ${job.number} fixed`, { after: true }));
        await call(key, 'PATCH', `/files/${photo.id}`, { viewable: true });
        done.push(`${slug} ${job.number}: completed, after photo shown`);
      } else done.push(`${slug} ${job.number}: ${step.status.replace(/_/g, ' ')}`);
    }

    const { items: quotes } = await call<{ items: { id: number; number: string; status: string }[] }>(key, 'GET', '/quotes?limit=500');
    const toPrice = quotes.find((q) => q.status === 'requested');
    if (toPrice) {
      await call(key, 'POST', `/quotes/${toPrice.id}/send`, {
        lines: quoteLines(trade, Math.random),
        validUntil: iso(now + 14 * 24 * 60 * 60_000),
      });
      done.push(`${slug} ${toPrice.number}: quote sent`);
    }
    return done;
  }

  async function tick(): Promise<string[]> {
    const done: string[] = [];
    for (const [slug, key] of Object.entries(options.keys)) {
      try {
        done.push(...(await workProvider(slug, key)));
      } catch (error) {
        log(`office simulator (${slug}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const line of done) log(`office: ${line}`);
    return done;
  }

  /** One step along the route for every technician on the way. */
  async function drive(): Promise<void> {
    for (const [k, d] of driving) {
      const step = Math.min(ROUTE_STEPS, (progress.get(k) ?? 0) + 1);
      progress.set(k, step);
      try {
        await call(d.key, 'POST', `/jobs/${d.id}/position`, routePosition(d, step));
      } catch (error) {
        driving.delete(k); // the job moved on or went away
        log(`office simulator: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void tick().finally(() => (busy = false));
  }, options.intervalMs ?? 8_000);
  let driving$ = false;
  const positions = setInterval(() => {
    if (driving$) return;
    driving$ = true;
    void drive().finally(() => (driving$ = false));
  }, options.positionMs ?? Math.max(500, Math.round((options.intervalMs ?? 8_000) / 4)));
  timer.unref();
  positions.unref();
  return { tick, drive, stop: () => (clearInterval(timer), clearInterval(positions)) };
}

// `npm run demo:office`: work the demo providers of DATA_DIR's database through a server on PORT.
if (process.argv[1]?.endsWith('office.ts')) {
  const { join, resolve } = await import('node:path');
  const { openDatabase } = await import('../server/db/index.js');
  const db = openDatabase(join(resolve(process.env.DATA_DIR || './data'), 'portal.db'));
  const baseUrl = `http://127.0.0.1:${process.env.PORT || 8787}`;
  console.log(`Office simulator working the demo providers through ${baseUrl}/api/provider/v1 (Ctrl+C to stop).`);
  const office = startOffice({ baseUrl, keys: simulatorKeys(db), intervalMs: 5_000, log: console.log });
  process.once('SIGINT', () => (office.stop(), db.close(), process.exit(0)));
  setInterval(() => undefined, 1 << 30);
}
