/** Job alerts: request and response schemas of the customer and provider routes. */
import { z } from 'zod';

export const ALERT_EVENTS = ['job_scheduled', 'start_reminder', 'on_the_way', 'job_started', 'job_completed', 'quote_ready'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
export const ALERT_CHANNELS = ['email', 'sms'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

const id = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER, 'is too large');
const event = z.enum(ALERT_EVENTS, { error: `must be one of ${ALERT_EVENTS.join(', ')}` });
const channel = z.enum(ALERT_CHANNELS, { error: 'must be email or sms' });
const hours = z.number({ error: 'must be a number' }).int('must be whole hours').min(1, 'must be at least 1').max(168, 'must be at most 168');
const unique = <T>(xs: T[]) => new Set(xs).size === xs.length;

/** E.164: a plus, then up to 15 digits, no leading zero. */
export const E164 = z.string({ error: 'must be text' }).regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in international form, like +15551234567');
const email = z.email({ error: 'must be an email address' }).max(254, 'is too long');
const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 21:00');
const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone like Europe/London');

// Customer side ---------------------------------------------------------------------------------

export const QuietHours = z.object({ start: clock, end: clock }).meta({ id: 'AlertQuietHours' });

/** What the provider offers its customers: the same fields the provider sets (ProviderAlertSettings). */
const offerFields = {
  events: z.array(event),
  channels: z.array(channel),
  reminderHours: z.object({ min: z.number().int(), max: z.number().int() }),
  timeZone: z.string(),
  quietHours: QuietHours.nullable(),
};

export const AlertOffer = z.object(offerFields).meta({ id: 'AlertOffer' });

export const Destination = z
  .object({
    id: z.number().int(),
    channel,
    address: z.string(),
    /** The contact's login email: confirmed by logging in, cannot be removed. */
    login: z.boolean(),
    status: z.enum(['verified', 'pending', 'opted_out']),
    /** When another code or link may be sent (pending only). */
    resendAt: z.string().nullable(),
  })
  .meta({ id: 'AlertDestination' });
export type DestinationView = z.infer<typeof Destination>;

export const Subscription = z
  .object({
    id: z.number().int(),
    /** null: every job the contact may see. */
    jobId: z.number().int().nullable(),
    jobNumber: z.string().nullable(),
    events: z.array(event),
    destinationIds: z.array(z.number().int()),
    reminderHours: z.number().int().nullable(),
    paused: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AlertSubscription' });
export type SubscriptionView = z.infer<typeof Subscription>;

export const AlertsOverview = z
  .object({ offer: AlertOffer, destinations: z.array(Destination), subscriptions: z.array(Subscription) })
  .meta({ id: 'AlertsOverview' });
export type AlertsOverviewView = z.infer<typeof AlertsOverview>;

export const SubscriptionCreate = z.strictObject({
  jobId: id.nullable().default(null),
  events: z.array(event).min(1, 'choose at least one event').max(ALERT_EVENTS.length).refine(unique, 'must not repeat an event'),
  destinationIds: z.array(id).min(1, 'choose at least one channel').max(20).refine(unique, 'must not repeat a destination'),
  reminderHours: hours.nullable().default(null),
  paused: z.boolean({ error: 'must be true or false' }).default(false),
});
export type SubscriptionCreateRequest = z.input<typeof SubscriptionCreate>;

export const SubscriptionUpdate = z
  .strictObject({
    events: SubscriptionCreate.shape.events,
    destinationIds: SubscriptionCreate.shape.destinationIds,
    reminderHours: hours.nullable(),
    paused: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');
export type SubscriptionUpdateRequest = z.input<typeof SubscriptionUpdate>;

export const DestinationCreate = z.discriminatedUnion(
  'channel',
  [z.strictObject({ channel: z.literal('email'), address: email }), z.strictObject({ channel: z.literal('sms'), address: E164 })],
  { error: 'channel must be email or sms' },
);
export type DestinationCreateRequest = z.input<typeof DestinationCreate>;

export const VerifyBody = z.strictObject({ code: z.string({ error: 'is required' }).regex(/^\d{6}$/, 'must be the 6 digits we sent') });

export const PreviewBody = z.strictObject({ event, channel, jobId: id.optional() });
export const Preview = z
  .object({ channel, subject: z.string(), text: z.string(), html: z.string().nullable() })
  .meta({ id: 'AlertPreview' });
export type PreviewView = z.infer<typeof Preview>;

export const TestBody = z.strictObject({ destinationId: id });
export const Queued = z.object({ message: z.string() }).meta({ id: 'AlertQueued' });

// Provider side ---------------------------------------------------------------------------------

export const ProviderAlertSettings = z.object(offerFields).meta({ id: 'ProviderAlertSettings' });
export type AlertSettingsValue = z.infer<typeof ProviderAlertSettings>;

export const ProviderAlertSettingsUpdate = z
  .strictObject({
    events: z.array(event).max(ALERT_EVENTS.length).refine(unique, 'must not repeat an event'),
    channels: z.array(channel).max(2).refine(unique, 'must not repeat a channel'),
    reminderHours: z.strictObject({ min: hours, max: hours }).refine((r) => r.min <= r.max, 'min must not be more than max'),
    timeZone,
    quietHours: z.strictObject({ start: clock, end: clock }).nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'must change at least one field');

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'kept', 'failed', 'dropped'] as const;
export const OutboxItem = z
  .object({
    id: z.number().int(),
    kind: z.enum(['alert', 'reminder', 'verify', 'test']),
    event: z.string(),
    channel,
    status: z.enum(OUTBOX_STATUSES),
    attempts: z.number().int(),
    contactId: z.number().int(),
    jobId: z.number().int().nullable(),
    quoteId: z.number().int().nullable(),
    lastError: z.string().nullable(),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AlertOutboxItem' });
export type OutboxItemView = z.infer<typeof OutboxItem>;
export const OutboxList = z.object({ items: z.array(OutboxItem) }).meta({ id: 'AlertOutboxList' });
export const OutboxQuery = z.strictObject({
  status: z.enum(OUTBOX_STATUSES, { error: `must be one of ${OUTBOX_STATUSES.join(', ')}` }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
});
