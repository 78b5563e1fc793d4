import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { getDetails, updateDetails } from './data.js';
import { providerCompany, providerContact } from '../companies/provider-data.js';
import { jsonBody } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { viewerOf } from '../permissions.js';
import { type Details, DetailsSchema, DetailsUpdateBody } from './schemas.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import { publishDetails } from '../live/publish.js';

export function detailsPortalRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/details', requireSession(deps))
    .get('/details', documented({ summary: "The contact's company and own details", auth: 'session', responses: { 200: DetailsSchema, ...errors(401) } }), (c) => c.json<Details>(getDetails(db, viewerOf(c.get('contact')))))
    .patch('/details', documented({ summary: 'Edit the company and own details; needs details "edit"', auth: 'session', responses: { 200: DetailsSchema, ...errors(400, 401, 403, 415) } }), jsonBody(DetailsUpdateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      const changes = c.req.valid('json');
      const details = db.transaction(() => {
        const saved = updateDetails(db, viewer, changes);
        emitWebhook(db, viewer.providerId, 'contact.details_changed', {
          company: providerCompany(db, viewer.providerId, viewer.companyId),
          contact: providerContact(db, viewer.providerId, viewer.contactId),
          changed: { company: Object.keys(changes.company ?? {}), contact: Object.keys(changes.contact ?? {}) },
        });
        publishDetails(db, viewer.providerId, viewer.companyId, viewer.contactId, { company: Object.keys(changes.company ?? {}), contact: Object.keys(changes.contact ?? {}) });
        return saved;
      })();
      return c.json<Details>(details);
    });
}
