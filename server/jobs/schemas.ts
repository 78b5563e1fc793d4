/** Jobs: what the customer sends and sees (portal), and what the provider's systems send and see. */
import { z } from 'zod';
import { JOB_SORTS, JOB_STATUSES, LIMITS, PAGE } from '../contract.js';
import { atLeastOne, cursor, dbId, id, instant, isoDate, isoTime, oneOf, pageLimit, pageOf, required, text } from '../http/fields.js';

export type { JobStatus } from '../contract.js';
const status = oneOf(JOB_STATUSES);

// Customer side -------------------------------------------------------------------------------

export const JobListQuery = z.strictObject({
  q: text(LIMITS.search).optional(),
  status: status.optional(),
  sort: z.enum(JOB_SORTS, { error: 'must be updated or created' }).default('updated'),
  cursor: cursor.optional(),
  limit: pageLimit().default(PAGE.jobs),
});
export type JobListParams = z.input<typeof JobListQuery>;

const jobFields = {
  title: required(LIMITS.title),
  description: text(LIMITS.description),
  address: required(LIMITS.address),
  preferredDates: text(LIMITS.preferredDates),
  siteContact: text(LIMITS.siteContact),
};
/** The time of day a customer would like the visit. */
export const PREFERRED_WINDOWS = ['morning', 'afternoon', 'any'] as const;
const preferredWindow = z.enum(PREFERRED_WINDOWS);

// A day already over everywhere on Earth (UTC-12) cannot be asked for.
const notPast = isoDate.refine((d) => d >= new Date(Date.now() - 12 * 3_600_000).toISOString().slice(0, 10), 'must be today or later');

export const JobCreateBody = z.strictObject({
  title: jobFields.title,
  description: jobFields.description.default(''),
  /** Empty: the company's address on file. */
  address: text(LIMITS.address).default(''),
  preferredDate: notPast.nullable().default(null),
  preferredWindow: preferredWindow.nullable().default(null),
  preferredDates: jobFields.preferredDates.default(''),
  siteContact: jobFields.siteContact.default(''),
});
export type JobCreateRequest = z.input<typeof JobCreateBody>;

/** Fields without defaults: zod applies defaults even inside .partial(), which would blank what a PATCH leaves out. */
export const JobUpdateBody = atLeastOne(z.strictObject(jobFields).partial());
export type JobUpdateRequest = z.input<typeof JobUpdateBody>;

const jobStatus = z.enum(JOB_STATUSES);

export const JobSummarySchema = z
  .object({
    id: dbId,
    number: z.string(),
    title: z.string(),
    status: jobStatus,
    address: z.string(),
    scheduledStart: isoTime.nullable(),
    scheduledEnd: isoTime.nullable(),
    technician: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'JobSummary' });
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobEventSchema = z
  .object({
    id: dbId,
    type: z.enum(['created', 'updated', 'scheduled', 'technician_assigned', 'status_changed', 'note']),
    status: jobStatus.nullable(),
    /** The text as the server wrote it (English, times in UTC); the fields below say the same as data. */
    message: z.string(),
    actor: z.enum(['customer', 'office', 'system']),
    at: isoTime,
    /** `scheduled`: the appointment window. */
    scheduledStart: isoTime.nullable(),
    scheduledEnd: isoTime.nullable(),
    /** `technician_assigned` (and `scheduled` with one): who is coming. */
    technician: z.string().nullable(),
    /** The provider's own words with the change, if any. */
    note: z.string().nullable(),
  })
  .meta({ id: 'JobEvent' });
export type JobEvent = z.infer<typeof JobEventSchema>;

export const JobDetailSchema = JobSummarySchema.extend({
  description: z.string(),
  /** YYYY-MM-DD; the day the customer would like the visit. */
  preferredDate: z.string().nullable(),
  preferredWindow: preferredWindow.nullable(),
  /** Free notes on timing. */
  preferredDates: z.string(),
  siteContact: z.string(),
  source: z.enum(['portal', 'office']),
  /** Whether this contact may edit this job now (permission, and the job is still open). */
  canEdit: z.boolean(),
  timeline: z.array(JobEventSchema),
}).meta({ id: 'JobDetail' });
export type JobDetail = z.infer<typeof JobDetailSchema>;

export const JobPageSchema = pageOf(JobSummarySchema).meta({ id: 'JobPage' });

// Provider side -------------------------------------------------------------------------------

const latitude = z.number({ error: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
const longitude = z.number({ error: 'must be a number' }).min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');

export const JobCreate = z.strictObject({
  companyId: id,
  title: required(LIMITS.title),
  description: text(LIMITS.description).default(''),
  address: text(LIMITS.address).default(''),
  latitude: latitude.optional(),
  longitude: longitude.optional(),
  status: status.default('requested'),
  contactId: id.optional(),
  scheduledStart: instant.optional(),
  scheduledEnd: instant.optional(),
  technician: text(200).optional(),
  /** Your own job number; default: the next J-number. */
  number: text(40).optional(),
});
export const JobUpdate = atLeastOne(
  z
    .strictObject({
      status,
      /** Shown on the job's timeline with the status change. */
      note: text(1000),
      title: required(LIMITS.title),
      description: text(LIMITS.description),
      address: text(LIMITS.address),
      latitude: latitude.nullable(),
      longitude: longitude.nullable(),
      scheduledStart: instant,
      scheduledEnd: instant.nullable(),
      technician: text(200).nullable(),
      /** Expected arrival, told in the "technician on the way" alert. */
      eta: instant,
    })
    .partial(),
)
  // Both or neither, and both cleared (null) or both set: never half a coordinate.
  .refine((b) => (b.latitude === undefined) === (b.longitude === undefined) && (b.latitude === null) === (b.longitude === null), 'latitude and longitude go together');
export const JobNote = z.strictObject({ message: required(2000) });
export const Position = z.strictObject({ latitude, longitude, at: instant.optional() });

export const ProviderJobSchema = z
  .object({
    id: dbId,
    number: z.string(),
    companyId: dbId,
    contactId: dbId.nullable(),
    createdByContactId: dbId.nullable(),
    source: z.enum(['portal', 'office']),
    title: z.string(),
    description: z.string(),
    status: jobStatus,
    address: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    preferredDate: z.string().nullable(),
    preferredWindow: preferredWindow.nullable(),
    preferredDates: z.string(),
    siteContact: z.string(),
    scheduledStart: isoTime.nullable(),
    scheduledEnd: isoTime.nullable(),
    technician: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'ProviderJob' });
export type ProviderJob = z.infer<typeof ProviderJobSchema>;

export const ProviderJobDetailSchema = ProviderJobSchema.extend({ timeline: z.array(JobEventSchema) }).meta({ id: 'ProviderJobDetail' });
export const ProviderJobPageSchema = pageOf(ProviderJobSchema).meta({ id: 'ProviderJobPage' });
export const PositionSchema = z.object({ jobId: dbId, latitude: z.number(), longitude: z.number(), at: isoTime }).meta({ id: 'TechnicianPosition' });
