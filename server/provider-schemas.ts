/**
 * The provider API's contract (`/api/provider/v1`): what an office system sends. Validated at
 * the edge with zod; listed in the OpenAPI document from these same schemas.
 */
import { z } from 'zod';
import { JOB_STATUSES, RECORD_ACCESS } from './schemas.js';

const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');
const required = (max: number) => text(max).min(1, 'is required');
const id = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');
const latitude = z.number({ error: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
const longitude = z.number({ error: 'must be a number' }).min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
/** An ISO 8601 date-time, e.g. 2026-03-31T09:00:00Z; kept as unix seconds. */
const instant = z
  .string({ error: 'must be a date-time' })
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time like 2026-03-31T09:00:00Z' })
  .transform((s) => Math.floor(Date.parse(s) / 1000));
// zod runs the refinement even when the regex failed: an unparsable date must not reach toISOString() (a RangeError, a 500).
const isoDate = z
  .string({ error: 'must be a date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && new Date(d + 'T00:00:00Z').toISOString().startsWith(d), 'is not a real date');
const email = z.email({ error: 'must be an email address' }).max(254, 'is too long');
const phone = text(40).refine((p) => p === '' || /^[+()\d\s.-]{3,40}$/.test(p), 'must be a phone number');

export const PermissionsInput = z.strictObject({
  jobs: z.enum(RECORD_ACCESS, { error: `must be one of ${RECORD_ACCESS.join(', ')}` }),
  quotes: z.enum(RECORD_ACCESS, { error: `must be one of ${RECORD_ACCESS.join(', ')}` }),
  createJobs: z.boolean({ error: 'must be true or false' }),
  createQuotes: z.boolean({ error: 'must be true or false' }),
  equipment: z.enum(['none', 'view', 'add'], { error: 'must be none, view or add' }),
  details: z.enum(['view', 'edit'], { error: 'must be view or edit' }),
  map: z.boolean({ error: 'must be true or false' }),
  alerts: z.boolean({ error: 'must be true or false' }),
}).partial();

// Update schemas list their fields without defaults: zod applies a default even inside
// .partial(), which would blank every field a PATCH leaves out.
const companyFields = { name: required(200), address: text(500), phone, email: z.union([z.literal(''), email]) };
export const CompanyCreate = z.strictObject({
  name: companyFields.name,
  address: companyFields.address.default(''),
  phone: companyFields.phone.default(''),
  email: companyFields.email.default(''),
});
export const CompanyUpdate = z.strictObject(companyFields).partial().refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const ContactCreate = z.strictObject({
  companyId: id,
  email,
  name: required(200),
  phone: phone.default(''),
  permissions: PermissionsInput.default({}),
  /** Send the invitation email now (default true). */
  invite: z.boolean({ error: 'must be true or false' }).default(true),
});
export const ContactUpdate = z
  .strictObject({
    name: required(200),
    phone,
    // `{}` would leave nothing to set (and an UPDATE with no columns).
    permissions: PermissionsInput.refine((p) => Object.keys(p).length > 0, 'must change at least one permission'),
    disabled: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const JobCreate = z.strictObject({
  companyId: id,
  title: required(200),
  description: text(5000).default(''),
  address: text(500).default(''),
  latitude: latitude.optional(),
  longitude: longitude.optional(),
  status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }).default('requested'),
  contactId: id.optional(),
  scheduledStart: instant.optional(),
  scheduledEnd: instant.optional(),
  technician: text(200).optional(),
  /** Your own job number; default: the next J-number. */
  number: text(40).optional(),
});
export const JobUpdate = z
  .strictObject({
    status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }),
    /** Shown on the job's timeline with the status change. */
    note: text(1000),
    title: required(200),
    description: text(5000),
    address: text(500),
    latitude: latitude.nullable(),
    longitude: longitude.nullable(),
    scheduledStart: instant,
    scheduledEnd: instant.nullable(),
    technician: text(200).nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field')
  // Both or neither, and both cleared (null) or both set: never half a coordinate.
  .refine((b) => (b.latitude === undefined) === (b.longitude === undefined) && (b.latitude === null) === (b.longitude === null), 'latitude and longitude go together');
export const JobNote = z.strictObject({ message: required(2000) });
export const Position = z.strictObject({ latitude, longitude, at: instant.optional() });

export const SyncQuery = z.strictObject({
  updated_since: instant.optional(),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor').optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
});

const Line = z.strictObject({
  description: required(500),
  quantity: z.number({ error: 'must be a number' }).positive('must be more than 0').max(1e6, 'is too large'),
  unitPriceCents: z.number({ error: 'must be a number' }).int('must be whole cents').min(0, 'must not be negative').max(1e11, 'is too large'),
});
export const QuoteCreate = z.strictObject({
  companyId: id,
  title: required(200),
  description: text(5000).default(''),
  address: text(500).default(''),
  contactId: id.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code like USD').default('USD'),
  lines: z.array(Line).max(200, 'must have at most 200 lines').default([]),
  validUntil: instant.optional(),
  /** Send it to the customer now: needs lines and validUntil. */
  send: z.boolean({ error: 'must be true or false' }).default(false),
});
export const QuoteSend = z.strictObject({
  lines: z.array(Line).min(1, 'must have at least one line').max(200, 'must have at most 200 lines'),
  validUntil: instant,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code like USD').optional(),
});

const equipmentFields = {
  name: required(200),
  make: text(100),
  model: text(100),
  serial: text(100),
  location: text(300),
  installedOn: isoDate.nullable(),
  lastServiceOn: isoDate.nullable(),
  nextServiceOn: isoDate.nullable(),
};
export const EquipmentCreateOffice = z.strictObject({
  companyId: id,
  name: equipmentFields.name,
  make: equipmentFields.make.default(''),
  model: equipmentFields.model.default(''),
  serial: equipmentFields.serial.default(''),
  location: equipmentFields.location.default(''),
  installedOn: equipmentFields.installedOn.default(null),
  lastServiceOn: equipmentFields.lastServiceOn.default(null),
  nextServiceOn: equipmentFields.nextServiceOn.default(null),
});
export const EquipmentUpdateOffice = z.strictObject(equipmentFields).partial().refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const WEBHOOK_EVENTS = [
  'job.created',
  'job.updated',
  'quote.requested',
  'quote.accepted',
  'quote.declined',
  'contact.details_changed',
  'job.file_added',
  'equipment.added',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WebhookEndpointCreate = z.strictObject({
  url: z
    .url({ error: 'must be a URL' })
    .max(2000, 'is too long')
    // Runs even when z.url() already failed, so it must not throw on what URL cannot parse.
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'must be an http or https URL')
    // Kept and shown as given (CLI, listings): no spaces or control characters, which URL() would quietly encode.
    .refine((u) => !/[\s\u0000-\u001f\u007f]/.test(u), 'must not contain spaces or control characters'),
  events: z.array(z.enum([...WEBHOOK_EVENTS, '*'], { error: `must be one of ${WEBHOOK_EVENTS.join(', ')} or *` })).min(1).default(['*']),
});

export const DeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed'], { error: 'must be pending, delivered or failed' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
});
