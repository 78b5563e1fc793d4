import { Hono } from 'hono';
import { getDetails, updateDetails } from '../data/details.js';
import { officeCompany, officeContact } from '../data/office.js';
import { jsonBody } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { viewerOf } from '../permissions.js';
import { DetailsUpdateBody, type Details } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';
import { publishDetails } from '../live/publish.js';

export function detailsRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/details', requireSession(deps))
    .get('/details', (c) => c.json<Details>(getDetails(db, viewerOf(c.get('contact')))))
    .patch('/details', jsonBody(DetailsUpdateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      const changes = c.req.valid('json');
      const details = db.transaction(() => {
        const saved = updateDetails(db, viewer, changes);
        emitWebhook(db, viewer.providerId, 'contact.details_changed', {
          company: officeCompany(db, viewer.providerId, viewer.companyId),
          contact: officeContact(db, viewer.providerId, viewer.contactId),
          changed: { company: Object.keys(changes.company ?? {}), contact: Object.keys(changes.contact ?? {}) },
        });
        publishDetails(db, viewer.providerId, viewer.companyId, viewer.contactId, { company: Object.keys(changes.company ?? {}), contact: Object.keys(changes.contact ?? {}) });
        return saved;
      })();
      return c.json<Details>(details);
    });
}
