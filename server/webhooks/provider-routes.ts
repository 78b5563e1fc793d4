import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { ApiError } from '../http/errors.js';
import { DeliveriesQuery, DeliveryListSchema, DeliverySchema, EndpointCreatedSchema, EndpointListSchema, WebhookEndpointCreate } from './schemas.js';
import { checkWebhookTarget } from './target.js';
import { addWebhookEndpoint, listDeliveries, listWebhookEndpoints, removeWebhookEndpoint, retryDeliveries } from './outbox.js';
import type { Deps } from '../deps.js';
import type { ProviderEnv } from '../deps.js';

export function webhookProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/webhooks/endpoints', documented({ summary: 'Registered webhook endpoints', auth: 'apiKey', responses: { 200: EndpointListSchema, ...errors(401) } }), (c) => c.json({ items: listWebhookEndpoints(db, c.get('provider').id) }))
    .post('/webhooks/endpoints', documented({ summary: 'Register an endpoint; the answer shows its signing secret once', auth: 'apiKey', responses: { 201: EndpointCreatedSchema, ...errors(400, 401, 415) } }), jsonBody(WebhookEndpointCreate), async (c) => {
      const b = c.req.valid('json');
      await checkWebhookTarget(b.url, deps.settings);
      const { id, secret } = addWebhookEndpoint(db, c.get('provider').id, b.url, b.events);
      // The signing secret is shown once, here.
      return c.json({ id, url: b.url, events: b.events, secret }, 201);
    })
    .delete('/webhooks/endpoints/:id', documented({ summary: 'Remove an endpoint; what was pending for it is closed as failed', auth: 'apiKey', responses: { 204: 'Removed', ...errors(400, 401, 404) } }), idParam, (c) => {
      if (!removeWebhookEndpoint(db, c.get('provider').id, c.req.valid('param').id)) throw new ApiError(404, 'not_found', 'No such endpoint.');
      return c.body(null, 204);
    })
    .get('/webhooks/deliveries', documented({ summary: 'Recent deliveries, newest first', auth: 'apiKey', responses: { 200: DeliveryListSchema, ...errors(400, 401) } }), query(DeliveriesQuery), (c) => {
      const q = c.req.valid('query');
      return c.json({ items: listDeliveries(db, c.get('provider').id, q.limit, q.status) });
    })
    .post('/webhooks/deliveries/:id/retry', documented({ summary: 'Send a failed delivery again, with fresh attempts', auth: 'apiKey', responses: { 200: DeliverySchema, ...errors(400, 401, 404, 409) } }), idParam, (c) => {
      const [delivery] = retryDeliveries(db, c.get('provider').id, { id: c.req.valid('param').id });
      return c.json(delivery, 200);
    });
}
