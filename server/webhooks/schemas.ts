/** Webhook endpoints a provider registers, and the deliveries made to them. */
import { z } from 'zod';
import { dbId, isoTime } from '../http/fields.js';

export const WEBHOOK_EVENTS = [
  'job.created',
  'job.updated',
  'quote.requested',
  'quote.accepted',
  'quote.declined',
  'contact.details_changed',
  'equipment.added',
  'job.file_added',
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

export const EndpointSchema = z
  .object({ id: dbId, url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: isoTime })
  .meta({ id: 'WebhookEndpoint' });
export type EndpointInfo = z.infer<typeof EndpointSchema>;
export const EndpointListSchema = z.object({ items: z.array(EndpointSchema) }).meta({ id: 'WebhookEndpointList' });
/** The signing secret is shown once, in this answer. */
export const EndpointCreatedSchema = z
  .object({ id: dbId, url: z.string(), events: z.array(z.string()), secret: z.string() })
  .meta({ id: 'WebhookEndpointCreated' });

export const DeliverySchema = z
  .object({
    id: dbId,
    eventId: z.string(),
    type: z.string(),
    endpointId: dbId,
    url: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: isoTime.nullable(),
    deliveredAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryInfo = z.infer<typeof DeliverySchema>;
export const DeliveryListSchema = z.object({ items: z.array(DeliverySchema) }).meta({ id: 'WebhookDeliveryList' });
