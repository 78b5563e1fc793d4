/** The job map: request and response schemas (customer GET map, provider map settings). */
import { z } from 'zod';
import { JOB_STATUSES } from '../contract.js';

export const MapPosition = z.object({
  latitude: z.number(),
  longitude: z.number(),
  at: z.string(),
  precision: z.enum(['approximate', 'exact']),
});

export const MapJob = z
  .object({
    id: z.number().int(),
    number: z.string(),
    title: z.string(),
    status: z.enum(JOB_STATUSES),
    address: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    technician: z.string().nullable(),
    scheduledStart: z.string().nullable(),
    /** Estimated arrival while on the way, from the last position (straight line at town speed); null when not known. */
    eta: z.string().nullable(),
    updatedAt: z.string(),
    /** The technician's last position as the customer may see it; null before the first one. */
    position: MapPosition.nullable(),
  })
  .meta({ id: 'MapJob' });
export type MapJob = z.infer<typeof MapJob>;

export const MapJobList = z.object({ items: z.array(MapJob) }).meta({ id: 'MapJobList' });
export type MapJobList = z.infer<typeof MapJobList>;

export const MapQuery = z.strictObject({
  job: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a job id')
    .transform(Number)
    .optional(),
});

export const MapSettings = z.object({ exactPositionOnTheWay: z.boolean() }).meta({ id: 'MapSettings' });
export type MapSettings = z.infer<typeof MapSettings>;
export const MapSettingsBody = z.strictObject({ exactPositionOnTheWay: z.boolean({ error: 'must be true or false' }) });
