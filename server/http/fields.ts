/** The zod field rules every resource's schemas are built from: one text rule, one date rule. */
import { z } from 'zod';
import { PAGE } from '../contract.js';
import { BIDI_MESSAGE, hasBidiControl, stripInvisible } from './text.js';

/** Trimmed text of at most `max` characters; control characters other than newlines and tabs refused. */
export const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .overwrite(stripInvisible)
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters')
    .refine((s) => !hasBidiControl(s), BIDI_MESSAGE);
export const required = (max: number) => text(max).min(1, 'is required');

// zod runs the refinement even when the regex failed: an unparsable date must not reach toISOString() (a RangeError, a 500).
export const isoDate = z
  .string({ error: 'must be a date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && new Date(d + 'T00:00:00Z').toISOString().startsWith(d), 'is not a real date');

/** An ISO 8601 date-time, e.g. 2026-03-31T09:00:00Z; kept as unix seconds. */
export const instant = z
  .string({ error: 'must be a date-time' })
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time like 2026-03-31T09:00:00Z' })
  .transform((s) => Math.floor(Date.parse(s) / 1000));

export const id = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');
export const email = z.email({ error: 'must be an email address' }).max(254, 'is too long');
export const phone = text(40).refine((p) => p === '' || /^[+()\d\s.-]{3,40}$/.test(p), 'must be a phone number');
export const optionalEmail = text(254).refine((e) => e === '' || z.email().safeParse(e).success, 'must be an email address');
export const boolean = z.boolean({ error: 'must be true or false' });
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const cursor = z.string().max(200, 'is not a valid cursor').regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor');
export const pageLimit = (max: number = PAGE.max) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** "Change at least one field": a PATCH body with nothing in it is a mistake, not a no-op. */
export const atLeastOne = <T extends z.ZodType<object>>(schema: T) => schema.refine((b) => Object.keys(b).length > 0, 'must change at least one field');

/** The provider API's sync paging: everything changed since a time, oldest first. */
export const SyncQuery = z.strictObject({
  updated_since: instant.optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
});

// Response fields.
export const isoTime = z.iso.datetime();
export const dbId = z.number().int().positive();

/** One page of a keyset-paged list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
