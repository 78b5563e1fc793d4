import { Hono } from 'hono';
import { idParam, jsonBody, query } from '../../http/validate.js';
import { ApiError } from '../../http/errors.js';
import { DeliveriesQuery, WebhookEndpointCreate } from '../../provider-schemas.js';
import { addWebhookEndpoint, listDeliveries, listWebhookEndpoints, removeWebhookEndpoint, retryDeliveries } from '../../webhooks/outbox.js';
import { checkWebhookTarget } from '../../webhooks/target.js';
import type { Deps } from '../env.js';
import type { ProviderEnv } from './env.js';

export function webhookRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/webhooks/endpoints', (c) => c.json({ items: listWebhookEndpoints(db, c.get('provider').id) }))
    .post('/webhooks/endpoints', jsonBody(WebhookEndpointCreate), async (c) => {
      const b = c.req.valid('json');
      await checkWebhookTarget(b.url, deps.settings);
      const { id, secret } = addWebhookEndpoint(db, c.get('provider').id, b.url, b.events);
      // The signing secret is shown once, here.
      return c.json({ id, url: b.url, events: b.events, secret }, 201);
    })
    .delete('/webhooks/endpoints/:id', idParam, (c) => {
      if (!removeWebhookEndpoint(db, c.get('provider').id, c.req.valid('param').id)) throw new ApiError(404, 'not_found', 'No such endpoint.');
      return c.body(null, 204);
    })
    .get('/webhooks/deliveries', query(DeliveriesQuery), (c) => {
      const q = c.req.valid('query');
      return c.json({ items: listDeliveries(db, c.get('provider').id, q.limit, q.status) });
    })
    .post('/webhooks/deliveries/:id/retry', idParam, (c) => {
      const [delivery] = retryDeliveries(db, c.get('provider').id, { id: c.req.valid('param').id });
      return c.json(delivery, 200);
    });
}
