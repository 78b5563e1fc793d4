import { Hono } from 'hono';
import { answerQuote, getQuote, listQuotes, requestQuote } from '../data/quotes.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import { QuoteAnswerBody, QuoteListQuery, QuoteRequestBody, type Page, type QuoteDetail, type QuoteSummary } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';

export function quoteRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/quotes/*', requireSession(deps))
    .get('/quotes', query(QuoteListQuery), (c) => c.json<Page<QuoteSummary>>(listQuotes(db, viewerOf(c.get('contact')), c.req.valid('query'))))
    .post('/quotes', jsonBody(QuoteRequestBody), (c) => c.json<QuoteDetail>(requestQuote(db, viewerOf(c.get('contact')), c.req.valid('json')), 201))
    .get('/quotes/:id', idParam, (c) => c.json<QuoteDetail>(getQuote(db, viewerOf(c.get('contact')), c.req.valid('param').id)))
    .post('/quotes/:id/accept', idParam, jsonBody(QuoteAnswerBody), (c) =>
      c.json<QuoteDetail>(answerQuote(db, viewerOf(c.get('contact')), c.req.valid('param').id, 'accepted', c.req.valid('json').note)),
    )
    .post('/quotes/:id/decline', idParam, jsonBody(QuoteAnswerBody), (c) =>
      c.json<QuoteDetail>(answerQuote(db, viewerOf(c.get('contact')), c.req.valid('param').id, 'declined', c.req.valid('json').note)),
    );
}
