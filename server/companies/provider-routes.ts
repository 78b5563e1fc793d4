import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { inviteContact } from '../sessions/accounts.js';
import { createCompany, createContact, getContact } from './data.js';
import { listCompanies, providerCompany, providerContact, requireCompany, updateCompany, updateContact } from './provider-data.js';
import { ApiError } from '../http/errors.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { CompanyCreate, CompanyUpdate, ContactCreate, ContactCreatedSchema, ContactUpdate, InvitationSchema, ProviderCompanyPageSchema, ProviderCompanySchema, ProviderContactSchema } from './schemas.js';
import { SyncQuery } from '../http/fields.js';
import type { Deps } from '../deps.js';
import type { ProviderEnv } from '../deps.js';

const isUnique = (e: unknown): boolean => e instanceof Error && 'code' in e && String(e.code) === 'SQLITE_CONSTRAINT_UNIQUE';

export function companyProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/companies', documented({ summary: 'Companies changed since a time, oldest first, for syncing', auth: 'apiKey', responses: { 200: ProviderCompanyPageSchema, ...errors(400, 401) } }), query(SyncQuery), (c) => c.json(listCompanies(db, c.get('provider').id, c.req.valid('query'))))
    .post('/companies', documented({ summary: 'Create a company', auth: 'apiKey', responses: { 201: ProviderCompanySchema, ...errors(400, 401, 415) } }), jsonBody(CompanyCreate), (c) => {
      const id = createCompany(db, c.get('provider').id, c.req.valid('json'));
      return c.json(providerCompany(db, c.get('provider').id, id), 201);
    })
    .get('/companies/:id', documented({ summary: 'A company', auth: 'apiKey', responses: { 200: ProviderCompanySchema, ...errors(400, 401, 404) } }), idParam, (c) => c.json(providerCompany(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/companies/:id', documented({ summary: 'Change a company', auth: 'apiKey', responses: { 200: ProviderCompanySchema, ...errors(400, 401, 404, 415) } }), idParam, jsonBody(CompanyUpdate), (c) =>
      c.json(updateCompany(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post('/contacts', documented({ summary: 'Create a contact with permissions; sends the invitation email unless invite is false', auth: 'apiKey', responses: { 201: ContactCreatedSchema, ...errors(400, 401, 404, 409, 415) } }), jsonBody(ContactCreate), (c) => {
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
      return c.json({ ...providerContact(db, provider.id, id), invitationExpiresAt: invitation?.expiresAt.toISOString() ?? null }, 201);
    })
    .get('/contacts/:id', documented({ summary: 'A contact with their permissions', auth: 'apiKey', responses: { 200: ProviderContactSchema, ...errors(400, 401, 404) } }), idParam, (c) => c.json(providerContact(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/contacts/:id', documented({ summary: 'Change a contact: name, phone, permissions, disabled (disabling ends their sessions)', auth: 'apiKey', responses: { 200: ProviderContactSchema, ...errors(400, 401, 404, 415) } }), idParam, jsonBody(ContactUpdate), (c) =>
      c.json(updateContact(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post('/contacts/:id/invite', documented({ summary: 'Send the invitation again (a new link; the old one stops working)', auth: 'apiKey', responses: { 202: InvitationSchema, ...errors(400, 401, 404, 409) } }), idParam, (c) => {
      const provider = c.get('provider');
      const contact = getContact(db, provider.id, c.req.valid('param').id);
      if (!contact) throw new ApiError(404, 'not_found', 'No such contact.');
      const { expiresAt } = inviteContact(deps, provider, contact);
      return c.json({ invitationExpiresAt: expiresAt.toISOString() }, 202);
    });
}
