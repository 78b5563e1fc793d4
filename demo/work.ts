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
  },
};

const DAY = 86_400;
const STREETS = ['Quay Street', 'Harbour Road', 'Elm Street', 'Mill Lane', 'Station Road', 'Park Avenue', 'King Street'];

export interface DemoCompany {
  id: number;
  /** Contacts whose jobs these are: the first is the usual requester. */
  contactIds: number[];
  /** Around where its sites are, for the map. */
  center: [number, number];
}

/** Jobs in every status with timelines, quotes in every status, equipment: for one provider. */
export function seedWork(db: Db, providerId: number, companies: DemoCompany[], trade: Trade, seed: number, jobsTotal = 40): void {
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
    const start = created + DAY + Math.floor(rnd() * 3 * DAY);
    scheduleJob(db, providerId, id, start, start + 2 * 3600, pick(trade.technicians), created + 3600);
    const paths: Record<JobStatus, JobStatus[]> = { requested: [], scheduled: [], on_the_way: ['on_the_way'], in_progress: ['on_the_way', 'in_progress'], on_hold: ['on_the_way', 'in_progress', 'on_hold'], completed: ['on_the_way', 'in_progress', 'completed'], cancelled: ['cancelled'] };
    const path = paths[status];
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
      lines: sent
        ? [
            { description: 'Labour (hours)', quantity: 6 + i, unitPriceCents: 9500 },
            { description: 'Materials', quantity: 1, unitPriceCents: 48000 + i * 7500 },
          ]
        : [],
      sentAt: sent ? created + DAY : null,
      // An expired quote is a sent one whose validity has passed.
      validUntil: sent ? (status === 'expired' ? now - 2 * DAY : now + 21 * DAY) : null,
      createdAt: created,
    });
  });

  companies.forEach((company, c) =>
    trade.equipment.forEach((e, i) => {
      const installed = new Date((now - (400 + 300 * i + 50 * c) * DAY) * 1000).toISOString().slice(0, 10);
      const last = new Date((now - (60 + 20 * i) * DAY) * 1000).toISOString().slice(0, 10);
      const next = new Date((now + (120 - 20 * i) * DAY) * 1000).toISOString().slice(0, 10);
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
