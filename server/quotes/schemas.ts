/** Quotes: requests and answers from the portal; pricing, sending and expiry from the provider. */
import { z } from 'zod';
import { LIMITS, PAGE, QUOTE_STATUSES } from '../contract.js';
import { cursor, dbId, id, instant, isoTime, oneOf, pageLimit, pageOf, required, text } from '../http/fields.js';

export type { QuoteStatus } from '../contract.js';
const quoteStatus = z.enum(QUOTE_STATUSES);

// Customer side -------------------------------------------------------------------------------

export const QuoteListQuery = z.strictObject({
  q: text(LIMITS.search).optional(),
  status: oneOf(QUOTE_STATUSES).optional(),
  cursor: cursor.optional(),
  limit: pageLimit().default(PAGE.quotes),
});
export type QuoteListParams = z.input<typeof QuoteListQuery>;

export const QuoteRequestBody = z.strictObject({
  title: required(LIMITS.title),
  description: text(LIMITS.description).default(''),
  address: text(LIMITS.address).default(''),
});
export type QuoteRequest = z.input<typeof QuoteRequestBody>;

export const QuoteAnswerBody = z.strictObject({ note: text(LIMITS.answerNote).default('') });
export type QuoteAnswer = z.input<typeof QuoteAnswerBody>;

export const QuoteSummarySchema = z
  .object({
    id: dbId,
    number: z.string(),
    title: z.string(),
    status: quoteStatus,
    currency: z.string(),
    totalCents: z.number().int().nullable(),
    validUntil: isoTime.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'QuoteSummary' });
export type QuoteSummary = z.infer<typeof QuoteSummarySchema>;

export const QuoteLineSchema = z.object({ description: z.string(), quantity: z.number(), unitPriceCents: z.number().int() }).meta({ id: 'QuoteLine' });
export type QuoteLine = z.infer<typeof QuoteLineSchema>;

export const QuoteDetailSchema = QuoteSummarySchema.extend({
  description: z.string(),
  address: z.string(),
  lines: z.array(QuoteLineSchema),
  sentAt: isoTime.nullable(),
  responseNote: z.string().nullable(),
  respondedAt: isoTime.nullable(),
  /** Whether this contact may accept or decline it now (permission, sent, not expired). */
  canAnswer: z.boolean(),
}).meta({ id: 'QuoteDetail' });
export type QuoteDetail = z.infer<typeof QuoteDetailSchema>;

export const QuotePageSchema = pageOf(QuoteSummarySchema).meta({ id: 'QuotePage' });

// Provider side -------------------------------------------------------------------------------

/**
 * The largest quote total accepted, in cents (a hundred billion): above any real quote, and far
 * below 2^53, so totals stay exact, and SQLite's 2^63 (issue 15: a larger one was a 500).
 */
export const MAX_QUOTE_TOTAL_CENTS = 10_000_000_000_000;
const lineTotal = (lines: unknown[]): number =>
  lines.reduce<number>((sum, l) => sum + (l && typeof l === 'object' ? Number((l as { quantity?: unknown }).quantity) * Number((l as { unitPriceCents?: unknown }).unitPriceCents) : 0), 0);
const withinTotal = (lines: unknown[]): boolean => !(lineTotal(lines) > MAX_QUOTE_TOTAL_CENTS);
const TOTAL_MESSAGE = `must total at most ${MAX_QUOTE_TOTAL_CENTS} cents`;
const Line = z.strictObject({
  description: required(500),
  quantity: z.number({ error: 'must be a number' }).positive('must be more than 0').max(1e6, 'is too large'),
  unitPriceCents: z.number({ error: 'must be a number' }).int('must be whole cents').min(0, 'must not be negative').max(1e11, 'is too large'),
});
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code like USD');

export const QuoteCreate = z.strictObject({
  companyId: id,
  title: required(LIMITS.title),
  description: text(LIMITS.description).default(''),
  address: text(LIMITS.address).default(''),
  contactId: id.optional(),
  currency: currency.default('USD'),
  lines: z.array(Line).max(200, 'must have at most 200 lines').refine(withinTotal, TOTAL_MESSAGE).default([]),
  validUntil: instant.optional(),
  /** Send it to the customer now: needs lines and validUntil. */
  send: z.boolean({ error: 'must be true or false' }).default(false),
});
export const QuoteSend = z.strictObject({
  lines: z.array(Line).min(1, 'must have at least one line').max(200, 'must have at most 200 lines').refine(withinTotal, TOTAL_MESSAGE),
  validUntil: instant,
  currency: currency.optional(),
});

export const ProviderQuoteSchema = z
  .object({
    id: dbId,
    number: z.string(),
    companyId: dbId,
    contactId: dbId.nullable(),
    createdByContactId: dbId.nullable(),
    title: z.string(),
    description: z.string(),
    address: z.string(),
    status: quoteStatus,
    currency: z.string(),
    totalCents: z.number().int().nullable(),
    lines: z.array(QuoteLineSchema),
    validUntil: isoTime.nullable(),
    sentAt: isoTime.nullable(),
    /** The customer's answer, once given. */
    response: z.object({ status: z.string(), note: z.string().nullable(), at: isoTime }).nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'ProviderQuote' });
export type ProviderQuote = z.infer<typeof ProviderQuoteSchema>;
export const ProviderQuotePageSchema = pageOf(ProviderQuoteSchema).meta({ id: 'ProviderQuotePage' });
