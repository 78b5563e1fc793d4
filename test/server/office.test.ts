/** The office simulator drives the demo through the real provider API over HTTP. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROUTE_STEPS } from '../../demo/office.js';
import { startDemo, type RunningDemo } from '../../demo/start.js';

let server: RunningDemo;
before(async () => {
  server = await startDemo({ dataDir: mkdtempSync(join(tmpdir(), 'portal-office-')), port: 0, demoPort: null, officeIntervalMs: 3_600_000, settings: { log: () => {} } });
});
after(() => server.close());

const count = (sql: string): number => server.db.prepare(sql).pluck().get() as number;

test('each round schedules requested jobs, moves technicians toward their jobs, and prices requested quotes', async () => {
  assert.ok(server.office, 'the simulator runs with the demo');
  const requestedBefore = count("SELECT count(*) FROM jobs WHERE status = 'requested'");
  const quotesBefore = count("SELECT count(*) FROM quotes WHERE status = 'requested'");
  const done: string[] = [];
  for (let i = 0; i < 6; i++) {
    done.push(...(await server.office!.tick()));
    for (let step = 0; step < ROUTE_STEPS / 4; step++) await server.office!.drive();
  }
  assert.ok(done.some((d) => d.endsWith('scheduled')), done.join('\n'));
  assert.ok(done.some((d) => d.endsWith('quote sent')));
  assert.ok(done.some((d) => d.includes('arrived, work started')), 'a technician reached a job');
  assert.ok(count("SELECT count(*) FROM jobs WHERE status = 'requested'") < requestedBefore);
  assert.ok(count("SELECT count(*) FROM quotes WHERE status = 'requested'") < quotesBefore);
  assert.ok(count('SELECT count(*) FROM technician_positions') >= ROUTE_STEPS, 'positions were recorded on the way');
  // A whole drive: from about 2 km away, never away from the job for long, ending at its door.
  const arrived = server.db
    .prepare("SELECT j.id, j.latitude, j.longitude FROM jobs j WHERE (SELECT count(*) FROM technician_positions p WHERE p.job_id = j.id) >= ? LIMIT 1")
    .get(ROUTE_STEPS) as { id: number; latitude: number; longitude: number };
  const route = server.db.prepare('SELECT latitude, longitude FROM technician_positions WHERE job_id = ? ORDER BY id').all(arrived.id) as { latitude: number; longitude: number }[];
  const away = route.map((p) => Math.abs(p.latitude - arrived.latitude) + Math.abs(p.longitude - arrived.longitude));
  assert.ok(away[0]! > 0.015, `starts away from the job (${away[0]})`);
  assert.ok(away.every((d, i) => i === 0 || d <= away[i - 1]! + 1e-9), 'gets closer with every step');
  assert.ok(away.at(-1)! < 1e-5, 'ends at the job');
  // The customer's live stream heard of it: the positions and the status changes are in the event log.
  assert.ok(count("SELECT count(*) FROM live_events WHERE type = 'job.position'") >= ROUTE_STEPS);
  // The customer sees it on the job's timeline, written by the office.
  assert.ok(count("SELECT count(*) FROM job_events WHERE message LIKE '%Booked by the office%'") >= 1);
  // Through API keys, not the database: the keys were used, and only their hashes are stored.
  assert.ok(count("SELECT count(*) FROM api_keys WHERE name = 'office simulator' AND last_used_at IS NOT NULL") >= 2);
});

test('demo jobs carry photos made at seed time, some viewable and some hidden; completing a job adds a viewable "after" photo', async () => {
  assert.ok(count("SELECT count(*) FROM job_files WHERE viewable = 1 AND added_by = 'customer' AND kind = 'photo'") >= 2, "customers' own photos");
  assert.ok(count("SELECT count(*) FROM job_files WHERE viewable = 1 AND added_by = 'office' AND kind = 'document'") >= 1, 'a viewable report');
  assert.ok(count("SELECT count(*) FROM job_files WHERE viewable = 0 AND added_by = 'office'") >= 1, 'an office photo kept hidden');
  // Work finishes an hour or more after it started: every job in progress started two hours ago.
  server.db.prepare("UPDATE jobs SET updated_at = unixepoch() - 7200 WHERE status = 'in_progress'").run();
  const done: string[] = [];
  // Completing is a chance per round (as in a real office), so rounds run until one completes.
  for (let i = 0; i < 60 && !done.some((d) => d.endsWith('after photo shown')); i++) done.push(...(await server.office!.tick()));
  assert.ok(done.some((d) => d.endsWith('completed, after photo shown')), done.join('\n'));
  assert.ok(count("SELECT count(*) FROM job_files f JOIN jobs j ON j.id = f.job_id WHERE f.original_name LIKE 'after-%' AND f.viewable = 1 AND j.status = 'completed'") >= 1);
});
