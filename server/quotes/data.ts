/** Quotes: requested by customers, sent by the provider, answered once by the customer. */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { canEdit, forbidden, isOwn, notFound, recordScope, type Viewer } from '../permissions.js';
import type { Page } from '../http/fields.js';
import type { QuoteDetail, QuoteLine, QuoteListQuery, QuoteRequestBody, QuoteSummary } from './schemas.js';
import type { QuoteStatus } from '../contract.js';
import { nextNumber } from '../jobs/data.js';
import { decodeCursor, encodeCursor, iso, likeContains } from '../db/paging.js';

export interface QuoteRow {
  id: number;
  provider_id: number;
  company_id: number;
  number: string;
  title: string;
  description: string;
  address: string;
  status: QuoteStatus;
  currency: string;
  total_cents: number | null;
  valid_until: number | null;
  sent_at: number | null;
  response_note: string | null;
  responded_at: number | null;
  created_by_contact_id: number | null;
  contact_id: number | null;
  created_at: number;
  updated_at: number;
}

/** A sent quote past its validity reads as expired even before the provider marks it. */
function effectiveStatus(r: Pick<QuoteRow, 'status' | 'valid_until'>, now = nowSeconds()): QuoteStatus {
  return r.status === 'sent' && r.valid_until !== null && r.valid_until <= now ? 'expired' : r.status;
}

export function toSummary(r: QuoteRow): QuoteSummary {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    status: effectiveStatus(r),
    currency: r.currency,
    totalCents: r.total_cents,
    validUntil: iso(r.valid_until),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function listQuotes(db: Db, viewer: Viewer, q: z.output<typeof QuoteListQuery>): Page<QuoteSummary> {
  const scope = recordScope(viewer, viewer.permissions.quotes, 'quotes');
  const where = [scope.sql];
  const params: (number | string)[] = [...scope.params];
  if (q.status === 'expired') {
    where.push("(r.status = 'expired' OR (r.status = 'sent' AND r.valid_until <= ?))");
    params.push(nowSeconds());
  } else if (q.status === 'sent') {
    where.push("r.status = 'sent' AND (r.valid_until IS NULL OR r.valid_until > ?)");
    params.push(nowSeconds());
  } else if (q.status) {
    where.push('r.status = ?');
    params.push(q.status);
  }
  if (q.q) {
    where.push("r.search LIKE ? ESCAPE '\\'");
    params.push(likeContains(q.q));
  }
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor, 'number');
    where.push('(r.updated_at, r.id) < (?, ?)');
    params.push(k, id);
  }
  params.push(q.limit + 1);
  const rows = stmt<(number | string)[], QuoteRow>(
    db,
    `SELECT * FROM quotes r WHERE ${where.join(' AND ')} ORDER BY r.updated_at DESC, r.id DESC LIMIT ?`,
  ).all(...params);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return { items: page.map(toSummary), nextCursor: more && last ? encodeCursor(last.updated_at, last.id) : null };
}

function visibleQuote(db: Db, viewer: Viewer, id: number): QuoteRow {
  const scope = recordScope(viewer, viewer.permissions.quotes, 'quotes');
  const row = stmt<(number | string)[], QuoteRow>(db, `SELECT * FROM quotes r WHERE r.id = ? AND ${scope.sql}`).get(id, ...scope.params);
  if (!row) throw notFound('quote');
  return row;
}

function detail(db: Db, viewer: Viewer, row: QuoteRow): QuoteDetail {
  const lines = stmt<[number], { description: string; quantity: number; unit_price_cents: number }>(
    db,
    'SELECT description, quantity, unit_price_cents FROM quote_lines WHERE quote_id = ? ORDER BY position',
  ).all(row.id);
  const status = effectiveStatus(row);
  return {
    ...toSummary(row),
    description: row.description,
    address: row.address,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceCents: l.unit_price_cents })),
    sentAt: iso(row.sent_at),
    responseNote: row.response_note,
    respondedAt: iso(row.responded_at),
    canAnswer: status === 'sent' && canEdit(viewer.permissions.quotes, isOwn(viewer, row)),
  };
}

export function getQuote(db: Db, viewer: Viewer, id: number): QuoteDetail {
  return detail(db, viewer, visibleQuote(db, viewer, id));
}

export interface NewQuote {
  companyId: number;
  title: string;
  description?: string;
  address?: string;
  status?: QuoteStatus;
  source: 'portal' | 'office';
  createdByContactId?: number | null;
  contactId?: number | null;
  currency?: string;
  lines?: QuoteLine[];
  validUntil?: number | null;
  sentAt?: number | null;
  createdAt?: number;
}

export function insertQuote(db: Db, providerId: number, q: NewQuote): number {
  return db.transaction(() => {
    const number = nextNumber(db, providerId, 'next_quote_number', 'Q');
    const at = q.createdAt ?? nowSeconds();
    const total = q.lines?.length ? Math.round(q.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0)) : null;
    const id = Number(
      stmt(
        db,
        `INSERT INTO quotes (provider_id, company_id, number, title, description, address, status, currency, total_cents,
           valid_until, sent_at, source, created_by_contact_id, contact_id, search, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        providerId,
        q.companyId,
        number,
        q.title,
        q.description ?? '',
        q.address ?? '',
        q.status ?? 'requested',
        q.currency ?? 'USD',
        total,
        q.validUntil ?? null,
        q.sentAt ?? null,
        q.source,
        q.createdByContactId ?? null,
        q.contactId ?? null,
        `${number} ${q.title}`.toLowerCase(),
        at,
        at,
      ).lastInsertRowid,
    );
    q.lines?.forEach((l, i) =>
      stmt(db, 'INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)').run(
        id,
        i,
        l.description,
        l.quantity,
        l.unitPriceCents,
      ),
    );
    return id;
  })();
}

export function requestQuote(db: Db, viewer: Viewer, body: z.output<typeof QuoteRequestBody>): QuoteDetail {
  if (!viewer.permissions.createQuotes) throw forbidden('request quotes');
  const id = insertQuote(db, viewer.providerId, {
    companyId: viewer.companyId,
    ...body,
    source: 'portal',
    createdByContactId: viewer.contactId,
    contactId: viewer.contactId,
  });
  return detail(db, viewer, stmt<[number], QuoteRow>(db, 'SELECT * FROM quotes WHERE id = ?').get(id)!);
}

/** Accept or decline, once, while sent and valid. The conditional update makes a race answer once. */
export function answerQuote(db: Db, viewer: Viewer, id: number, answer: 'accepted' | 'declined', note: string): QuoteDetail {
  const row = visibleQuote(db, viewer, id);
  if (!canEdit(viewer.permissions.quotes, isOwn(viewer, row))) throw forbidden('answer this quote');
  const now = nowSeconds();
  const status = effectiveStatus(row, now);
  if (status !== 'sent') {
    const why: Record<QuoteStatus, string> = {
      requested: 'has not been sent to you yet',
      sent: '',
      accepted: 'was already accepted',
      declined: 'was already declined',
      expired: 'has expired; ask for a new quote',
    };
    throw new ApiError(409, `quote_${status}`, `This quote ${why[status]}.`);
  }
  const r = stmt(
    db,
    `UPDATE quotes SET status = ?, response_note = ?, responded_at = ?, responded_by_contact_id = ?, updated_at = ?
      WHERE id = ? AND provider_id = ? AND status = 'sent' AND (valid_until IS NULL OR valid_until > ?)`,
  ).run(answer, note || null, now, viewer.contactId, now, id, viewer.providerId, now);
  if (r.changes !== 1) throw new ApiError(409, 'quote_answered', 'This quote was answered a moment ago.');
  return detail(db, viewer, stmt<[number], QuoteRow>(db, 'SELECT * FROM quotes WHERE id = ?').get(id)!);
}
