/** The provider's side of quotes: every function takes the provider id and scopes by it. */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { notFound } from '../permissions.js';
import { iso, syncPage } from '../db/paging.js';
import type { SyncQuery } from '../http/fields.js';
import type { QuoteRow } from './data.js';
import type { QuoteSend, QuoteStatus } from './schemas.js';
import { publishQuote } from '../live/publish.js';
import { queueQuoteAlerts } from '../alerts/outbox.js';

// Quotes ---------------------------------------------------------------------------------------

function quoteRow(db: Db, providerId: number, id: number): QuoteRow {
  const r = stmt<[number, number], QuoteRow>(db, 'SELECT * FROM quotes WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('quote');
  return r;
}

interface LineRow {
  quote_id: number;
  description: string;
  quantity: number;
  unit_price_cents: number;
}

function quoteFrom(r: QuoteRow, lines: LineRow[], now = nowSeconds()) {
  const expired = r.status === 'sent' && r.valid_until !== null && r.valid_until <= now;
  return {
    id: r.id,
    number: r.number,
    companyId: r.company_id,
    contactId: r.contact_id,
    createdByContactId: r.created_by_contact_id,
    title: r.title,
    description: r.description,
    address: r.address,
    status: (expired ? 'expired' : r.status) as QuoteStatus,
    currency: r.currency,
    totalCents: r.total_cents,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceCents: l.unit_price_cents })),
    validUntil: iso(r.valid_until),
    sentAt: iso(r.sent_at),
    /** The customer's answer, once given. */
    response: r.responded_at === null ? null : { status: r.status, note: r.response_note, at: iso(r.responded_at)! },
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function providerQuote(db: Db, providerId: number, id: number) {
  const r = quoteRow(db, providerId, id);
  const lines = stmt<[number], LineRow>(db, 'SELECT quote_id, description, quantity, unit_price_cents FROM quote_lines WHERE quote_id = ? ORDER BY position').all(id);
  return quoteFrom(r, lines);
}

/** A sync page of quotes with their lines: two statements, whatever the page size. */
export function listProviderQuotes(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  const p = syncPage(db, 'quotes', providerId, q, (r: QuoteRow) => r);
  const lines = new Map<number, LineRow[]>(p.items.map((r) => [r.id, []]));
  if (p.items.length) {
    const rows = stmt<[string], LineRow>(
      db,
      'SELECT quote_id, description, quantity, unit_price_cents FROM quote_lines WHERE quote_id IN (SELECT value FROM json_each(?)) ORDER BY quote_id, position',
    ).all(JSON.stringify(p.items.map((r) => r.id)));
    for (const l of rows) lines.get(l.quote_id)!.push(l);
  }
  const now = nowSeconds();
  return { items: p.items.map((r) => quoteFrom(r, lines.get(r.id)!, now)), nextCursor: p.nextCursor };
}

/** Sends (or re-sends with new lines) a quote that is requested or sent and not yet answered. */
export function sendQuote(db: Db, providerId: number, id: number, b: z.output<typeof QuoteSend>) {
  const r = quoteRow(db, providerId, id);
  if (!['requested', 'sent', 'expired'].includes(r.status)) throw new ApiError(409, `quote_${r.status}`, `This quote was already ${r.status} by the customer.`);
  if (b.validUntil <= nowSeconds()) throw new ApiError(400, 'validation_failed', 'validUntil must be in the future.', { validUntil: 'must be in the future' });
  const total = Math.round(b.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0));
  const now = nowSeconds();
  db.transaction(() => {
    stmt(db, 'DELETE FROM quote_lines WHERE quote_id = ?').run(id);
    b.lines.forEach((l, i) => stmt(db, 'INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)').run(id, i, l.description, l.quantity, l.unitPriceCents));
    stmt(db, "UPDATE quotes SET status = 'sent', total_cents = ?, currency = coalesce(?, currency), valid_until = ?, sent_at = ?, updated_at = ? WHERE id = ? AND provider_id = ?").run(total, b.currency ?? null, b.validUntil, now, now, id, providerId);
    publishQuote(db, providerId, id, 'quote.sent');
    queueQuoteAlerts(db, providerId, id);
  })();
  return providerQuote(db, providerId, id);
}

export function expireQuote(db: Db, providerId: number, id: number) {
  const r = quoteRow(db, providerId, id);
  if (r.status !== 'sent' && r.status !== 'requested') throw new ApiError(409, `quote_${r.status}`, `This quote is ${r.status} and cannot expire.`);
  db.transaction(() => {
    stmt(db, "UPDATE quotes SET status = 'expired', updated_at = ? WHERE id = ? AND provider_id = ?").run(nowSeconds(), id, providerId);
    publishQuote(db, providerId, id, 'quote.expired');
  })();
  return providerQuote(db, providerId, id);
}

