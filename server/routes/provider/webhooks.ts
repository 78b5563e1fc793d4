import { Hono } from 'hono';
import { z } from 'zod';
import { idParam, jsonBody, query } from '../../http/validate.js';
import { ApiError } from '../../http/errors.js';
import { WebhookEndpointCreate } from '../../provider-schemas.js';
import { addWebhookEndpoint, listDeliveries, listWebhookEndpoints, removeWebhookEndpoint } from '../../webhooks/outbox.js';
import type { Deps } from '../env.js';
import type { ProviderEnv } from './env.js';

const DeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed'], { error: 'must be pending, delivered or failed' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
});

export function webhookRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/webhooks/endpoints', (c) => c.json({ items: listWebhookEndpoints(db, c.get('provider').id) }))
    .post('/webhooks/endpoints', jsonBody(WebhookEndpointCreate), (c) => {
      const b = c.req.valid('json');
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
    });
}
