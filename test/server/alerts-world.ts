/**
 * Fixtures for the alert tests: the provider world with alerts on at acme, a real SMTP server
 * and an SMS gateway (an HTTP server) on loopback, an injected clock, and contacts with the
 * permission levels the tests need.
 */
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { createContact } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import type { Settings } from '../../server/settings.js';
import { authed, fixtureHashes, json, PASSWORD_A, post, tokenFor } from './helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';
import { startSmtp, type Inbox } from './smtp.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

export const GATEWAY_TOKEN = 'gw-bearer-token-not-for-logs';
export const INBOUND_SECRET = 'inbound-signing-secret';
export const PUBLIC_URL = 'http://portal.test';
export const PORTAL_PAGE = 'https://www.acme-plumbing.example/portal.html';

export interface AlertsWorld extends ProviderWorld {
  inbox: Inbox;
  gateway: Receiver;
  clock: { now: number };
  /** Tokens of acme contacts at Harbour View: carol sees her own jobs, dave all of them. */
  carol: { id: number; token: string };
  dave: { id: number; token: string };
  /** A contact of the other company at acme, alerts on. */
  erin: { id: number; token: string };
  close(): Promise<void>;
}

export async function makeAlertsWorld(overrides: Partial<Settings> = {}): Promise<AlertsWorld> {
  const inbox = await startSmtp();
  const gateway = await startReceiver();
  // Runs with real time until a test sets it; then it stays where it was set.
  let pinned: number | null = null;
  const clock = {
    get now(): number {
      return pinned ?? Math.floor(Date.now() / 1000);
    },
    set now(at: number) {
      pinned = at;
    },
  };
  const w = await makeProviderWorld({
    smtpUrl: inbox.url,
    publicUrl: PUBLIC_URL,
    smsGateway: { url: `${gateway.url}/sms`, token: GATEWAY_TOKEN, mode: 'json', from: '+15550000000' },
    smsInboundSecret: INBOUND_SECRET,
    alerts: { pollMs: 60_000, leaseSeconds: 60, batch: 100, concurrency: 4, clock: () => clock.now },
    ...overrides,
  });
  w.db.prepare("UPDATE providers SET features = json_set(features, '$.alerts', json('true')), portal_url = ? WHERE id = ?").run(PORTAL_PAGE, w.acme.id);
  const { a } = await fixtureHashes();
  const contact = (email: string, name: string, companyId: number, jobs: 'view_own' | 'view_all') =>
    createContact(w.db, w.acme.id, { companyId, email, name, passwordHash: a, permissions: { jobs, quotes: jobs, alerts: true } });
  const carolId = contact('carol@example.com', 'Carol Cook', w.ids.acmeCompany, 'view_own');
  const daveId = contact('dave@example.com', 'Dave Dunn', w.ids.acmeCompany, 'view_all');
  const erinId = contact('erin@example.com', 'Erin Elm', w.ids.acmeOtherCompany, 'view_all');
  const world: AlertsWorld = {
    ...w,
    inbox,
    gateway,
    clock,
    carol: { id: carolId, token: await tokenFor(w.app, 'acme', 'carol@example.com', PASSWORD_A) },
    dave: { id: daveId, token: await tokenFor(w.app, 'acme', 'dave@example.com', PASSWORD_A) },
    erin: { id: erinId, token: await tokenFor(w.app, 'acme', 'erin@example.com', PASSWORD_A) },
    async close() {
      await w.app.deps.alerts.stop();
      w.app.deps.mailer.stop();
      await Promise.all([inbox.close(), gateway.close()]);
    },
  };
  return world;
}

/** A customer request under /api/portal/acme/alerts…; `body` sent as JSON. */
export function alertsApi(w: AlertsWorld, token: string, method: string, path: string, body?: unknown, provider = 'acme'): Promise<Response> {
  return authed(w.app, `/api/portal/${provider}${path}`, token, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

export async function overview(w: AlertsWorld, token: string) {
  const res = await alertsApi(w, token, 'GET', '/alerts');
  assert.equal(res.status, 200, await res.clone().text());
  return json(res);
}

/** The contact's login email destination id. */
export async function loginDestination(w: AlertsWorld, token: string): Promise<number> {
  const o = await overview(w, token);
  return o.destinations.find((d: { login: boolean }) => d.login).id;
}

/** SMS the gateway received for a number, parsed. */
export function smsTo(w: AlertsWorld, to: string): { to: string; text: string; reference: string; from: string }[] {
  return w.gateway.hits.filter((h) => h.path === '/sms' && h.status === 200).map((h) => JSON.parse(h.body)).filter((m) => m.to === to);
}

/** Adds a phone and verifies it with the code the gateway received. */
export async function verifiedPhone(w: AlertsWorld, token: string, phone: string): Promise<number> {
  const res = await alertsApi(w, token, 'POST', '/alerts/destinations', { channel: 'sms', address: phone });
  assert.equal(res.status, 201, await res.clone().text());
  const d = await json(res);
  await w.app.deps.alerts.flush();
  const code = /is (\d{6})/.exec(smsTo(w, phone).at(-1)?.text ?? '')?.[1];
  assert.ok(code, 'the code reached the phone');
  const ok = await alertsApi(w, token, 'POST', `/alerts/destinations/${d.id}/verify`, { code });
  assert.equal(ok.status, 200, await ok.clone().text());
  return d.id;
}

export async function subscribe(w: AlertsWorld, token: string, body: Record<string, unknown>): Promise<{ id: number }> {
  const res = await alertsApi(w, token, 'POST', '/alerts/subscriptions', body);
  assert.equal(res.status, 201, await res.clone().text());
  return json(res);
}

/** An office job at carol's company: hers (contactId) or not. */
export function job(w: AlertsWorld, o: { mine?: boolean; companyId?: number; title?: string } = {}): number {
  return insertJob(w.db, w.acme.id, { companyId: o.companyId ?? w.ids.acmeCompany, title: o.title ?? 'Fix the boiler', address: '12 Quay St', source: 'office', contactId: o.mine ? w.carol.id : null });
}

/** The office changes a job through the provider API. */
export async function officeUpdate(w: AlertsWorld, jobId: number, body: Record<string, unknown>): Promise<void> {
  // Times in seconds here, ISO on the wire.
  const wire = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'number' ? new Date(v * 1000).toISOString() : v]));
  const res = await papi(w.app, w.keyA, 'PATCH', `/jobs/${jobId}`, wire);
  assert.equal(res.status, 200, await res.clone().text());
}

/** Runs the worker now, then returns the mail that arrived (all of it since the last call). */
export async function deliver(w: AlertsWorld): Promise<void> {
  await w.app.deps.alerts.flush();
  await w.app.deps.mailer.flush();
}

export const mailsTo = (w: AlertsWorld, address: string): ParsedMail[] =>
  w.inbox.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)));

export { post };
