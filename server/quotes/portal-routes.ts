import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { answerQuote, getQuote, listQuotes, requestQuote } from './data.js';
import { providerQuote } from './provider-data.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import type { Viewer } from '../permissions.js';
import { viewerOf } from '../permissions.js';
import { QuoteAnswerBody, type QuoteDetail, QuoteDetailSchema, QuoteListQuery, QuotePageSchema, QuoteRequestBody, type QuoteSummary } from './schemas.js';
import { type Page } from '../http/fields.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import { publishQuote } from '../live/publish.js';

export function quotePortalRoutes(deps: Deps) {
  const { db } = deps;
  /** Runs a quote action and records its webhook event in the same transaction. */
  const announce = (viewer: Viewer, type: 'quote.requested' | 'quote.accepted' | 'quote.declined', act: () => QuoteDetail): QuoteDetail =>
    db.transaction(() => {
      const quote = act();
      emitWebhook(db, viewer.providerId, type, { quote: providerQuote(db, viewer.providerId, quote.id) });
      publishQuote(db, viewer.providerId, quote.id, type);
      return quote;
    })();
  return new Hono<PortalEnv>()
    .use('/quotes/*', requireSession(deps))
    .get('/quotes', documented({ summary: "One page of the contact's quotes; search, status filter, keyset paging", auth: 'session', responses: { 200: QuotePageSchema, ...errors(400, 401, 403) } }), query(QuoteListQuery), (c) => c.json<Page<QuoteSummary>>(listQuotes(db, viewerOf(c.get('contact')), c.req.valid('query'))))
    .post('/quotes', documented({ summary: 'Request a quote; needs "create quotes"', auth: 'session', responses: { 201: QuoteDetailSchema, ...errors(400, 401, 403, 415) } }), jsonBody(QuoteRequestBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.requested', () => requestQuote(db, viewer, c.req.valid('json'))), 201);
    })
    .get('/quotes/:id', documented({ summary: 'A quote with its lines', auth: 'session', responses: { 200: QuoteDetailSchema, ...errors(400, 401, 403, 404) } }), idParam, (c) => c.json<QuoteDetail>(getQuote(db, viewerOf(c.get('contact')), c.req.valid('param').id)))
    .post('/quotes/:id/accept', documented({ summary: 'Accept a sent quote, once, before it expires', auth: 'session', responses: { 200: QuoteDetailSchema, ...errors(400, 401, 403, 404, 409, 415) } }), idParam, jsonBody(QuoteAnswerBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.accepted', () => answerQuote(db, viewer, c.req.valid('param').id, 'accepted', c.req.valid('json').note)));
    })
    .post('/quotes/:id/decline', documented({ summary: 'Decline a sent quote, with an optional note', auth: 'session', responses: { 200: QuoteDetailSchema, ...errors(400, 401, 403, 404, 409, 415) } }), idParam, jsonBody(QuoteAnswerBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.declined', () => answerQuote(db, viewer, c.req.valid('param').id, 'declined', c.req.valid('json').note)));
    });
}
