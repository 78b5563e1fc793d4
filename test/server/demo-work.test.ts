/**
 * The living demo: appointments in the provider's business hours, work that happens in order and
 * by the clock, quotes priced from each trade's catalogue, each provider with its own data.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { seedDemo } from '../../demo/seed.js';
import { TRADES, businessSlot, nextStep, quoteLines, random } from '../../demo/work.js';
import { openDatabase, type Db } from '../../server/db/index.js';

const clock = (ms: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: get('weekday'), hour: Number(get('hour')), minute: Number(get('minute')) };
};
const inBusinessHours = (ms: number, zone: string): boolean => {
  const c = clock(ms, zone);
  return !['Sat', 'Sun'].includes(c.weekday) && c.hour >= 8 && (c.hour < 15 || (c.hour === 15 && c.minute === 0)) && c.minute % 30 === 0;
};

describe('demo work', () => {
  test('appointments are two hours, on weekdays from 8:00 to 15:00 in the provider’s zone, whatever time it is asked', () => {
    const rnd = random(7);
    for (const zone of ['Australia/Sydney', 'Australia/Melbourne', 'Europe/London', 'America/New_York']) {
      for (let h = 0; h < 24 * 7; h += 5) {
        const from = Date.UTC(2026, 8, 14) + h * 3_600_000;
        const slot = businessSlot(from, zone, rnd);
        assert.ok(slot.start >= from, 'not in the past');
        assert.equal(slot.end - slot.start, 2 * 3_600_000);
        assert.ok(inBusinessHours(slot.start, zone), `${new Date(slot.start).toISOString()} in ${zone}`);
      }
    }
  });

  test('the office moves a job by the clock: on the way only shortly before the visit, done only after work started', () => {
    const now = Date.UTC(2026, 8, 14, 1);
    const at = (ms: number) => new Date(ms).toISOString();
    const job = (status: string, startIn: number | null, updatedAgo = 0) => ({
      id: 1, status, scheduledStart: startIn === null ? null : at(now + startIn), scheduledEnd: null, updatedAt: at(now - updatedAgo),
    });
    const always = () => 0;
    assert.equal(nextStep(job('scheduled', 90 * 86_400_000), now, always), null, 'an appointment in December is not driven to in September');
    assert.equal(nextStep(job('scheduled', 3 * 3_600_000), now, always), null);
    assert.deepEqual(nextStep(job('scheduled', 30 * 60_000), now, always), { status: 'on_the_way' });
    assert.equal(nextStep(job('scheduled', -5 * 3_600_000), now, always), null, 'a visit long over is not started now');
    assert.equal(nextStep(job('in_progress', -3_600_000, 10 * 60_000), now, always), null, 'not done ten minutes after starting');
    assert.equal(nextStep(job('in_progress', -3_600_000, 2 * 3_600_000), now, always)?.status, 'completed');
    assert.equal(nextStep(job('requested', null), now, always), null);
    assert.equal(nextStep(job('completed', -86_400_000, 86_400_000), now, always), null);
  });

  test('quotes are priced from the trade’s own catalogue', () => {
    const rnd = random(3);
    for (const [name, trade] of Object.entries(TRADES)) {
      const prices = new Set([trade.catalogue.labourCents, ...trade.catalogue.items.map((i) => i.unitPriceCents)]);
      for (let n = 0; n < 20; n++) for (const line of quoteLines(trade, rnd)) assert.ok(prices.has(line.unitPriceCents), `${name}: ${line.description}`);
    }
    const [plumbing, electrical] = [TRADES.plumbing, TRADES.electrical];
    assert.notEqual(plumbing.catalogue.labourCents, electrical.catalogue.labourCents);
  });

  describe('the seeded demo', () => {
    let db: Db;
    before(async () => {
      db = openDatabase(':memory:');
      await seedDemo(db, ['http://localhost:8787']);
    });

    test('each provider’s appointments are in its own business hours; nothing happened before its appointment', () => {
      const rows = db
        .prepare(`SELECT p.time_zone AS zone, j.status, j.scheduled_start AS start,
            (SELECT min(e.created_at) FROM job_events e WHERE e.job_id = j.id AND e.status IN ('on_the_way', 'in_progress', 'completed')) AS moved
          FROM jobs j JOIN providers p ON p.id = j.provider_id WHERE j.scheduled_start IS NOT NULL`)
        .all() as { zone: string; status: string; start: number; moved: number | null }[];
      assert.ok(rows.length > 40);
      for (const r of rows) {
        assert.ok(inBusinessHours(r.start * 1000, r.zone), `${new Date(r.start * 1000).toISOString()} in ${r.zone}`);
        if (r.moved !== null && r.status !== 'on_the_way') assert.ok(r.moved >= r.start, `${r.status} job moved before its appointment`);
      }
      const zones = db.prepare('SELECT slug, time_zone FROM providers ORDER BY slug').all();
      assert.deepEqual(zones, [{ slug: 'acme-plumbing', time_zone: 'Australia/Sydney' }, { slug: 'bright-electric', time_zone: 'Australia/Melbourne' }]);
    });

    test('each provider has its own prices and equipment dates', () => {
      const prices = (slug: string) =>
        new Set((db.prepare('SELECT l.unit_price_cents FROM quote_lines l JOIN quotes q ON q.id = l.quote_id JOIN providers p ON p.id = q.provider_id WHERE p.slug = ?').pluck().all(slug) as number[]));
      const shared = [...prices('acme-plumbing')].filter((p) => prices('bright-electric').has(p));
      assert.deepEqual(shared, []);
      const installs = (slug: string) => db.prepare('SELECT e.installed_on FROM equipment e JOIN providers p ON p.id = e.provider_id WHERE p.slug = ?').pluck().all(slug) as string[];
      assert.deepEqual(installs('acme-plumbing').filter((d) => installs('bright-electric').includes(d)), []);
      const today = new Date().toISOString().slice(0, 10);
      const dates = db.prepare('SELECT installed_on AS i, last_service_on AS l FROM equipment').all() as { i: string; l: string }[];
      for (const d of dates) assert.ok(d.i <= d.l && d.l <= today, `installed ${d.i}, serviced ${d.l}`);
    });
  });
});
