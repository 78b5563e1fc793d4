import { Hono } from 'hono';
import { answerQuote, getQuote, listQuotes, requestQuote } from '../data/quotes.js';
import { officeQuote } from '../data/office.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import type { Viewer } from '../permissions.js';
import { viewerOf } from '../permissions.js';
import { QuoteAnswerBody, QuoteListQuery, QuoteRequestBody, type Page, type QuoteDetail, type QuoteSummary } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';
import { publishQuote } from '../live/publish.js';

export function quoteRoutes(deps: Deps) {
  const { db } = deps;
  /** Runs a quote action and records its webhook event in the same transaction. */
  const announce = (viewer: Viewer, type: 'quote.requested' | 'quote.accepted' | 'quote.declined', act: () => QuoteDetail): QuoteDetail =>
    db.transaction(() => {
      const quote = act();
      emitWebhook(db, viewer.providerId, type, { quote: officeQuote(db, viewer.providerId, quote.id) });
      publishQuote(db, viewer.providerId, quote.id, type);
      return quote;
    })();
  return new Hono<PortalEnv>()
    .use('/quotes/*', requireSession(deps))
    .get('/quotes', query(QuoteListQuery), (c) => c.json<Page<QuoteSummary>>(listQuotes(db, viewerOf(c.get('contact')), c.req.valid('query'))))
    .post('/quotes', jsonBody(QuoteRequestBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.requested', () => requestQuote(db, viewer, c.req.valid('json'))), 201);
    })
    .get('/quotes/:id', idParam, (c) => c.json<QuoteDetail>(getQuote(db, viewerOf(c.get('contact')), c.req.valid('param').id)))
    .post('/quotes/:id/accept', idParam, jsonBody(QuoteAnswerBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.accepted', () => answerQuote(db, viewer, c.req.valid('param').id, 'accepted', c.req.valid('json').note)));
    })
    .post('/quotes/:id/decline', idParam, jsonBody(QuoteAnswerBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      return c.json<QuoteDetail>(announce(viewer, 'quote.declined', () => answerQuote(db, viewer, c.req.valid('param').id, 'declined', c.req.valid('json').note)));
    });
}
