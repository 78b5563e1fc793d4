import { Hono } from 'hono';
import { insertEquipment } from '../../data/equipment.js';
import { expireQuote, listQuotesOffice, officeEquipment, officeQuote, requireCompany, requireContactOf, sendQuote, updateEquipmentOffice } from '../../data/office.js';
import { insertQuote } from '../../data/quotes.js';
import { queueQuoteAlerts } from '../../alerts/outbox.js';
import { nowSeconds } from '../../db/index.js';
import { ApiError } from '../../http/errors.js';
import { idParam, jsonBody, query } from '../../http/validate.js';
import { EquipmentCreateOffice, EquipmentUpdateOffice, QuoteCreate, QuoteSend, SyncQuery } from '../../provider-schemas.js';
import type { Deps } from '../env.js';
import type { ProviderEnv } from './env.js';

export function quoteAndEquipmentRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/quotes', query(SyncQuery), (c) => c.json(listQuotesOffice(db, c.get('provider').id, c.req.valid('query'))))
    .post('/quotes', jsonBody(QuoteCreate), (c) => {
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
      const id = db.transaction(() => queueQuoteAlerts(db, provider.id, insertQuote(db, provider.id, {
        ...b,
        status: b.send ? 'sent' : 'requested',
        source: 'office',
        contactId: b.contactId ?? null,
        sentAt: b.send ? nowSeconds() : null,
        validUntil: b.validUntil ?? null,
      })))();
      return c.json(officeQuote(db, provider.id, id), 201);
    })
    .get('/quotes/:id', idParam, (c) => c.json(officeQuote(db, c.get('provider').id, c.req.valid('param').id)))
    .post('/quotes/:id/send', idParam, jsonBody(QuoteSend), (c) => c.json(sendQuote(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))))
    .post('/quotes/:id/expire', idParam, (c) => c.json(expireQuote(db, c.get('provider').id, c.req.valid('param').id)))
    .post('/equipment', jsonBody(EquipmentCreateOffice), (c) => {
      const provider = c.get('provider');
      const b = c.req.valid('json');
      requireCompany(db, provider.id, b.companyId);
      const id = insertEquipment(db, provider.id, { ...b, source: 'office' });
      return c.json(officeEquipment(db, provider.id, id), 201);
    })
    .get('/equipment/:id', idParam, (c) => c.json(officeEquipment(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/equipment/:id', idParam, jsonBody(EquipmentUpdateOffice), (c) =>
      c.json(updateEquipmentOffice(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    );
}
