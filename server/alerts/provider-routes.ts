/** The provider's alert routes under /api/provider/v1/alerts: what it offers, and its outbox. */
import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import type { Deps } from '../deps.js';
import type { ProviderEnv } from '../deps.js';
import { alertSettings, listAlertOutbox, retryAlertOutbox, updateAlertSettings } from './provider-data.js';
import { OutboxList, OutboxQuery, ProviderAlertSettings, ProviderAlertSettingsUpdate } from './schemas.js';

const key = { auth: 'apiKey' as const, tags: ['alerts'] };

export function alertProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/alerts/settings', documented({ ...key, summary: 'Which alert events and channels customers may use, reminder range, time zone, SMS quiet hours', responses: { 200: ProviderAlertSettings, ...errors(401) } }), (c) =>
      c.json(alertSettings(db, c.get('provider').id)))
    .patch('/alerts/settings', documented({ ...key, summary: 'Change the alert settings', responses: { 200: ProviderAlertSettings, ...errors(400, 401, 415) } }), jsonBody(ProviderAlertSettingsUpdate), (c) =>
      c.json(updateAlertSettings(db, c.get('provider').id, c.req.valid('json'))))
    .get('/alerts/outbox', documented({ ...key, summary: 'Alerts sent, waiting and failed (dead letters), newest first', responses: { 200: OutboxList, ...errors(400, 401) } }), query(OutboxQuery), (c) => {
      const q = c.req.valid('query');
      return c.json({ items: listAlertOutbox(db, c.get('provider').id, q.status, q.limit) });
    })
    .post('/alerts/outbox/:id/retry', documented({ ...key, summary: 'Send a failed alert again', responses: { 200: OutboxList, ...errors(400, 401, 404, 409) } }), idParam, (c) => {
      const items = retryAlertOutbox(db, c.get('provider').id, { id: c.req.valid('param').id });
      setImmediate(() => void deps.alerts.flush());
      return c.json({ items });
    });
}
