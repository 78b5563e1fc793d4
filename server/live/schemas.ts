/**
 * What the live stream (GET /api/portal/:provider/live) carries. Each message is an SSE frame
 * `id: <n>` / `event: <type>` / `data: <LiveEvent as JSON>`; the widget imports the types
 * (type-only) so both sides change together. A new kind of event: add a member to LiveEvent and
 * publish it with `publishLive` (./publish.ts).
 */
import { z } from 'zod';
import { JOB_STATUSES, QUOTE_STATUSES } from '../contract.js';

// The customer-side summaries as they travel in events (the same fields GET jobs and GET quotes list).
export const LiveJob = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  status: z.enum(JOB_STATUSES),
  address: z.string(),
  scheduledStart: z.string().nullable(),
  scheduledEnd: z.string().nullable(),
  technician: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const LiveQuote = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  status: z.enum(QUOTE_STATUSES),
  currency: z.string(),
  totalCents: z.number().int().nullable(),
  validUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A technician's position as the customer may see it: coarsened to about 500 m unless the provider allows exact. */
export const LivePosition = z.object({
  jobId: z.number().int(),
  latitude: z.number(),
  longitude: z.number(),
  at: z.string(),
  precision: z.enum(['approximate', 'exact']),
});

const base = { id: z.number().int(), at: z.string() };

export const LiveEvent = z
  .discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('job.created'), data: z.object({ job: LiveJob, changed: z.array(z.string()) }) }),
    /** `changed` names what moved: status, scheduledStart, technician, timeline, title, address, location, … */
    z.object({ ...base, type: z.literal('job.updated'), data: z.object({ job: LiveJob, changed: z.array(z.string()) }) }),
    z.object({ ...base, type: z.literal('job.position'), data: LivePosition }),
    z.object({
      ...base,
      type: z.enum(['quote.requested', 'quote.sent', 'quote.expired', 'quote.accepted', 'quote.declined']),
      data: z.object({ quote: LiveQuote }),
    }),
    z.object({
      ...base,
      type: z.literal('details.changed'),
      data: z.object({ contactId: z.number().int(), changed: z.object({ company: z.array(z.string()), contact: z.array(z.string()) }) }),
    }),
  ])
  .meta({ id: 'LiveEvent' });
export type LiveEvent = z.infer<typeof LiveEvent>;
export type LiveEventType = LiveEvent['type'];
export type LiveJobSummary = z.infer<typeof LiveJob>;
export type LiveQuoteSummary = z.infer<typeof LiveQuote>;
export type LivePositionData = z.infer<typeof LivePosition>;

/**
 * The stream's own messages, not kept in the log: `ready` opens every connection (the point to
 * resume from, and how often to expect a heartbeat); `reload` says the elements must refetch
 * (the resume point is older than the log keeps, or the contact's permissions changed); `end`
 * closes the stream for good (the session ended, or a newer stream of the same contact replaced it).
 */
export const LiveReady = z.object({ lastEventId: z.number().int(), heartbeatMs: z.number().int() });
export const LiveReload = z.object({ reason: z.enum(['too_old', 'permissions']) });
export const LiveEnd = z.object({ reason: z.enum(['session_ended', 'disabled', 'replaced', 'shutdown']) });
export type LiveReadyData = z.infer<typeof LiveReady>;
export type LiveReloadData = z.infer<typeof LiveReload>;
export type LiveEndData = z.infer<typeof LiveEnd>;

/** The `Last-Event-ID` request header: an id this stream sent, digits only. */
export const LastEventId = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event this stream sent')
  .transform(Number);
