import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { requireCompany, requireContactOf } from '../companies/provider-data.js';
import { nowSeconds } from '../db/index.js';
import type { Deps, ProviderEnv } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { SyncQuery } from '../http/fields.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { insertQuote } from './data.js';
import { expireQuote, listProviderQuotes, providerQuote, sendQuote } from './provider-data.js';
import { ProviderQuotePageSchema, ProviderQuoteSchema, QuoteCreate, QuoteSend } from './schemas.js';
import { publishQuote } from '../live/publish.js';
import { queueQuoteAlerts } from '../alerts/outbox.js';

export function quoteProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/quotes', documented({ summary: 'Quotes changed since a time, with their lines, oldest first, for syncing', auth: 'apiKey', responses: { 200: ProviderQuotePageSchema, ...errors(400, 401) } }), query(SyncQuery), (c) => c.json(listProviderQuotes(db, c.get('provider').id, c.req.valid('query'))))
    .post('/quotes', documented({ summary: 'Create a quote for a company (and send it at once with lines and validUntil)', auth: 'apiKey', responses: { 201: ProviderQuoteSchema, ...errors(400, 401, 404, 415) } }), jsonBody(QuoteCreate), (c) => {
      const provider = c.get('provider');
      const b = c.req.valid('json');
      requireCompany(db, provider.id, b.companyId);
      if (b.contactId !== undefined) requireContactOf(db, provider.id, b.companyId, b.contactId);
      if (b.send && (!b.lines.length || b.validUntil === undefined)) {
        throw new ApiError(400, 'validation_failed', 'A quote sent at once needs lines and validUntil.', { lines: 'needed to send', validUntil: 'needed to send' });
      }
      if (b.validUntil !== undefined && b.validUntil <= nowSeconds()) {
        throw new ApiError(400, 'validation_failed', 'validUntil must be in the future.', { validUntil: 'must be in the future' });
      }
      const id = db.transaction(() => {
        const created = queueQuoteAlerts(db, provider.id, insertQuote(db, provider.id, {
          ...b,
          status: b.send ? 'sent' : 'requested',
          source: 'office',
          contactId: b.contactId ?? null,
          sentAt: b.send ? nowSeconds() : null,
          validUntil: b.validUntil ?? null,
        }));
        publishQuote(db, provider.id, created, b.send ? 'quote.sent' : 'quote.requested');
        return created;
      })();
      return c.json(providerQuote(db, provider.id, id), 201);
    })
    .get('/quotes/:id', documented({ summary: "A quote with its lines and the customer's answer", auth: 'apiKey', responses: { 200: ProviderQuoteSchema, ...errors(400, 401, 404) } }), idParam, (c) => c.json(providerQuote(db, c.get('provider').id, c.req.valid('param').id)))
    .post('/quotes/:id/send', documented({ summary: 'Price and send a requested quote (or send it again with new lines)', auth: 'apiKey', responses: { 200: ProviderQuoteSchema, ...errors(400, 401, 404, 409, 415) } }), idParam, jsonBody(QuoteSend), (c) => c.json(sendQuote(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))))
    .post('/quotes/:id/expire', documented({ summary: 'Withdraw a quote: it expires now', auth: 'apiKey', responses: { 200: ProviderQuoteSchema, ...errors(400, 401, 404, 409) } }), idParam, (c) => c.json(expireQuote(db, c.get('provider').id, c.req.valid('param').id)));
}
