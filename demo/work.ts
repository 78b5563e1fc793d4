/**
 * Jobs, quotes and equipment for the demo providers: enough to feel real (about 40 jobs per
 * provider in every status, with timelines; quotes in every status; equipment), deterministic
 * so the README and tests can rely on them.
 */
import type { Db } from '../server/db/index.js';
import { insertEquipment } from '../server/equipment/data.js';
import { insertJob, scheduleJob, setJobStatus } from '../server/jobs/data.js';
import { insertQuote } from '../server/quotes/data.js';
import { JOB_STATUSES, type JobStatus } from '../server/contract.js';

/** A small seeded generator, so every run makes the same demo. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Trade {
  jobs: string[];
  quotes: string[];
  equipment: { name: string; make: string; model: string }[];
  technicians: string[];
  /** What the trade charges: a quote's lines are priced from it. */
  catalogue: { labourCents: number; items: { description: string; unitPriceCents: number }[] };
  /** How many years old its equipment tends to be, for install and service dates. */
  equipmentAgeYears: [number, number];
}

export const TRADES: Record<'plumbing' | 'electrical', Trade> = {
  plumbing: {
    jobs: ['Leaking kitchen tap', 'Blocked shower drain', 'Hot water cylinder service', 'Burst pipe under sink', 'Toilet cistern running', 'Replace outdoor tap', 'Low water pressure', 'Install dishwasher', 'Gas hob connection', 'Annual backflow test', 'Radiator bleed and balance', 'Sewer camera inspection'],
    quotes: ['Bathroom re-pipe', 'New hot water heat pump', 'Replace galvanised mains', 'Rainwater tank install'],
    equipment: [
      { name: 'Hot water cylinder', make: 'Rheem', model: 'Stellar 360' },
      { name: 'Backflow preventer', make: 'Watts', model: '909' },
      { name: 'Sump pump', make: 'Zoeller', model: 'M53' },
      { name: 'Water softener', make: 'Culligan', model: 'HE 1.5' },
    ],
    technicians: ['Dana Reyes', 'Luis Ortega', 'Priya Shah'],
    catalogue: {
      labourCents: 9500,
      items: [
        { description: 'Copper pipe and fittings', unitPriceCents: 18_400 },
        { description: 'Heat pump water heater, 270 L', unitPriceCents: 389_000 },
        { description: 'Pressure limiting valve', unitPriceCents: 21_500 },
        { description: 'Rainwater tank, 5,000 L', unitPriceCents: 162_000 },
      ],
    },
    equipmentAgeYears: [2, 12],
  },
  electrical: {
    jobs: ['Replace switchboard fuse', 'Install EV charger', 'Flickering office lights', 'Test and tag appliances', 'Add power outlets', 'Emergency lighting test', 'Smoke alarm replacement', 'Fault finding: tripping RCD', 'Outdoor security lighting', 'Data cabling for meeting room'],
    quotes: ['LED retrofit of open-plan office', 'Switchboard upgrade', 'Solar and battery system'],
    equipment: [
      { name: 'Main switchboard', make: 'Schneider', model: 'Acti9' },
      { name: 'Backup generator', make: 'Cummins', model: 'C22D5' },
      { name: 'EV charger', make: 'Wallbox', model: 'Pulsar Plus' },
    ],
    technicians: ['Chris Wong', 'Ava Thompson'],
    catalogue: {
      labourCents: 11_800,
      items: [
        { description: 'LED panel, 600 x 600', unitPriceCents: 8_900 },
        { description: '3-phase switchboard, 24 pole', unitPriceCents: 264_000 },
        { description: '6.6 kW solar array with inverter', unitPriceCents: 742_000 },
        { description: 'RCBO safety switch', unitPriceCents: 7_400 },
      ],
    },
    equipmentAgeYears: [1, 6],
  },
};

const DAY = 86_400;

/** The clock in a zone at an instant: its weekday (0 Sunday), hour and minute. */
function clockIn(ms: number, timeZone: string): { weekday: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')), hour: Number(get('hour')), minute: Number(get('minute')) };
}

/** Business hours, in the provider's zone: weekdays, visits starting 8:00 to 15:00. */
const OPEN_HOUR = 8;
const LAST_START_HOUR = 15;

/**
 * The first two-hour appointment at or after `fromMs` that starts on the hour or half hour, on
 * a weekday between 8:00 and 15:00 in the provider's zone; `rnd` spreads them over the day.
 */
export function businessSlot(fromMs: number, timeZone: string, rnd: () => number = Math.random): { start: number; end: number } {
  const step = 30 * 60_000;
  let t = Math.ceil(fromMs / step) * step + Math.floor(rnd() * 8) * step;
  for (let i = 0; i < 14 * 48; i++, t += step) {
    const c = clockIn(t, timeZone);
    if (c.weekday >= 1 && c.weekday <= 5 && c.hour >= OPEN_HOUR && c.hour <= LAST_START_HOUR && (c.hour < LAST_START_HOUR || c.minute === 0)) {
      return { start: t, end: t + 2 * 3_600_000 };
    }
  }
  throw new Error(`no business hours in ${timeZone}`);
}

/** A quote's lines from the trade's catalogue: labour plus one or two items. */
export function quoteLines(trade: Trade, rnd: () => number): { description: string; quantity: number; unitPriceCents: number }[] {
  const items = trade.catalogue.items;
  const first = items[Math.floor(rnd() * items.length)]!;
  const lines = [
    { description: 'Labour (hours)', quantity: 2 + Math.floor(rnd() * 10), unitPriceCents: trade.catalogue.labourCents },
    { description: first.description, quantity: 1 + Math.floor(rnd() * 3), unitPriceCents: first.unitPriceCents },
  ];
  const second = items[Math.floor(rnd() * items.length)]!;
  if (second !== first && rnd() < 0.5) lines.push({ description: second.description, quantity: 1, unitPriceCents: second.unitPriceCents });
  return lines;
}

/** A job as the provider API lists it: what the office simulator decides from. */
export interface OfficeJob {
  id: number;
  status: string;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  updatedAt: string;
}

/**
 * What the office does to a job now, by the clock: a technician leaves about 45 minutes before
 * the appointment (never for one days away), work starts when it is due, and finishes an hour or
 * more after it started; a job on hold resumes after a while. Null: leave it.
 */
export function nextStep(job: OfficeJob, nowMs: number, rnd: () => number = Math.random): { status: string; note?: string } | null {
  const start = job.scheduledStart ? Date.parse(job.scheduledStart) : null;
  const since = nowMs - Date.parse(job.updatedAt);
  if (job.status === 'scheduled' && start !== null && nowMs >= start - 45 * 60_000 && nowMs < start + 2 * 3_600_000) return { status: 'on_the_way' };
  if (job.status === 'in_progress' && since >= 60 * 60_000 && rnd() < 0.5) return { status: 'completed', note: 'All done; tested and cleaned up' };
  if (job.status === 'on_hold' && since >= 3 * 3_600_000 && rnd() < 0.3) return { status: 'in_progress', note: 'Parts arrived; work resumed' };
  return null;
}
const STREETS = ['Quay Street', 'Harbour Road', 'Elm Street', 'Mill Lane', 'Station Road', 'Park Avenue', 'King Street'];

export interface DemoCompany {
  id: number;
  /** Contacts whose jobs these are: the first is the usual requester. */
  contactIds: number[];
  /** Around where its sites are, for the map. */
  center: [number, number];
}

/** Jobs in every status with timelines, quotes in every status, equipment: for one provider. */
export function seedWork(db: Db, providerId: number, companies: DemoCompany[], trade: Trade, seed: number, jobsTotal = 40, timeZone = 'UTC'): void {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < jobsTotal; i++) {
    const company = companies[i % companies.length]!;
    const status: JobStatus = JOB_STATUSES[i % JOB_STATUSES.length]!;
    const contactId = company.contactIds[Math.floor(rnd() * company.contactIds.length)] ?? null;
    const fromPortal = rnd() < 0.4;
    const created = now - Math.floor((jobsTotal - i) * 2.5 * DAY + rnd() * DAY);
    const [lat, lng] = company.center;
    const id = insertJob(db, providerId, {
      companyId: company.id,
      title: pick(trade.jobs),
      description: 'Reported by the customer. Access through the side gate; please call on arrival.',
      address: `${10 + Math.floor(rnd() * 180)} ${pick(STREETS)}, Springfield`,
      preferredDates: rnd() < 0.5 ? 'Weekday mornings' : 'Any time after 2 pm',
      siteContact: 'Front desk, +1 555 0190',
      source: fromPortal ? 'portal' : 'office',
      createdByContactId: fromPortal ? contactId : null,
      contactId,
      latitude: lat + (rnd() - 0.5) * 0.05,
      longitude: lng + (rnd() - 0.5) * 0.05,
      createdAt: created,
    });
    if (status === 'requested') continue;
    // Open jobs are booked ahead (some today or tomorrow); the rest were visited in the past.
    const open = status === 'scheduled' || status === 'on_the_way';
    const from = open ? Math.max(now, created) * 1000 + (status === 'on_the_way' ? 0 : Math.floor(rnd() * 4 * DAY) * 1000) : (created + DAY) * 1000;
    const slot = businessSlot(from, timeZone, rnd);
    const start = Math.floor(slot.start / 1000);
    scheduleJob(db, providerId, id, start, Math.floor(slot.end / 1000), pick(trade.technicians), created + 3600);
    const paths: Record<JobStatus, JobStatus[]> = { requested: [], scheduled: [], on_the_way: ['on_the_way'], in_progress: ['on_the_way', 'in_progress'], on_hold: ['on_the_way', 'in_progress', 'on_hold'], completed: ['on_the_way', 'in_progress', 'completed'], cancelled: ['cancelled'] };
    // A visit that would still be ahead stays booked: nothing happens before its appointment.
    const path = open || start * 1000 <= now * 1000 - 2 * 3_600_000 ? paths[status] : [];
    path.forEach((s, n) => setJobStatus(db, providerId, id, s, { at: Math.min(now, start + n * 1800), note: s === 'on_hold' ? 'waiting for parts' : undefined }));
  }

  const quoteStatuses = ['requested', 'sent', 'sent', 'accepted', 'declined', 'expired'] as const;
  quoteStatuses.forEach((status, i) => {
    const company = companies[i % companies.length]!;
    const sent = status !== 'requested';
    const created = now - (30 - i * 4) * DAY;
    insertQuote(db, providerId, {
      companyId: company.id,
      title: trade.quotes[i % trade.quotes.length]!,
      description: 'Supply and install, including removal of the old equipment.',
      address: `${20 + i} ${STREETS[i % STREETS.length]}, Springfield`,
      status: status === 'expired' ? 'sent' : status,
      source: i % 2 ? 'portal' : 'office',
      createdByContactId: i % 2 ? company.contactIds[0] : null,
      contactId: company.contactIds[0] ?? null,
      lines: sent ? quoteLines(trade, rnd) : [],
      sentAt: sent ? created + DAY : null,
      // An expired quote is a sent one whose validity has passed.
      validUntil: sent ? (status === 'expired' ? now - 2 * DAY : now + 21 * DAY) : null,
      createdAt: created,
    });
  });

  companies.forEach((company, c) =>
    trade.equipment.forEach((e, i) => {
      const [minAge, maxAge] = trade.equipmentAgeYears;
      const ageDays = Math.floor((minAge + rnd() * (maxAge - minAge)) * 365);
      const installed = new Date((now - ageDays * DAY) * 1000).toISOString().slice(0, 10);
      const last = new Date((now - Math.floor(20 + rnd() * Math.min(300, ageDays - 10)) * DAY) * 1000).toISOString().slice(0, 10);
      const next = new Date((now + Math.floor(-15 + rnd() * 200) * DAY) * 1000).toISOString().slice(0, 10);
      insertEquipment(db, providerId, {
        companyId: company.id,
        ...e,
        serial: `${e.make.slice(0, 3).toUpperCase()}-${(100000 + c * 1000 + i * 37).toString(36).toUpperCase()}`,
        location: ['Plant room', 'Basement', 'Level 2 riser', 'Garage'][i % 4]!,
        installedOn: installed,
        lastServiceOn: last,
        nextServiceOn: next,
        source: 'office',
      });
    }),
  );
}
