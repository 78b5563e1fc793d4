import { Hono } from 'hono';
import { inviteContact } from '../../accounts.js';
import { createCompany, createContact, getContact } from '../../data/contacts.js';
import { listCompanies, officeCompany, officeContact, requireCompany, updateCompany, updateContact } from '../../data/office.js';
import { ApiError } from '../../http/errors.js';
import { idParam, jsonBody, query } from '../../http/validate.js';
import { CompanyCreate, CompanyUpdate, ContactCreate, ContactUpdate, SyncQuery } from '../../provider-schemas.js';
import type { Deps } from '../env.js';
import type { ProviderEnv } from './env.js';

const isUnique = (e: unknown): boolean => e instanceof Error && 'code' in e && String(e.code) === 'SQLITE_CONSTRAINT_UNIQUE';

export function companyRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/companies', query(SyncQuery), (c) => c.json(listCompanies(db, c.get('provider').id, c.req.valid('query'))))
    .post('/companies', jsonBody(CompanyCreate), (c) => {
      const id = createCompany(db, c.get('provider').id, c.req.valid('json'));
      return c.json(officeCompany(db, c.get('provider').id, id), 201);
    })
    .get('/companies/:id', idParam, (c) => c.json(officeCompany(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/companies/:id', idParam, jsonBody(CompanyUpdate), (c) =>
      c.json(updateCompany(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post('/contacts', jsonBody(ContactCreate), (c) => {
      const provider = c.get('provider');
      const body = c.req.valid('json');
      requireCompany(db, provider.id, body.companyId);
      if (body.invite && !provider.portalUrl) {
        throw new ApiError(409, 'portal_url_missing', 'Set the provider\'s portal URL before inviting contacts (or send "invite": false).');
      }
      let id: number;
      try {
        id = createContact(db, provider.id, { companyId: body.companyId, email: body.email, name: body.name, phone: body.phone, permissions: body.permissions });
      } catch (e) {
        if (isUnique(e)) throw new ApiError(409, 'contact_exists', `A contact with the email ${body.email} already exists.`, { email: 'already in use' });
        throw e;
      }
      const invitation = body.invite ? inviteContact(deps, provider, getContact(db, provider.id, id)!) : null;
      return c.json({ ...officeContact(db, provider.id, id), invitationExpiresAt: invitation?.expiresAt.toISOString() ?? null }, 201);
    })
    .get('/contacts/:id', idParam, (c) => c.json(officeContact(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/contacts/:id', idParam, jsonBody(ContactUpdate), (c) =>
      c.json(updateContact(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post('/contacts/:id/invite', idParam, (c) => {
      const provider = c.get('provider');
      const contact = getContact(db, provider.id, c.req.valid('param').id);
      if (!contact) throw new ApiError(404, 'not_found', 'No such contact.');
      const { expiresAt } = inviteContact(deps, provider, contact);
      return c.json({ invitationExpiresAt: expiresAt.toISOString() }, 202);
    });
}
