/**
 * The customer's alert routes under /api/portal/:provider/alerts, and the two pages an email
 * links to (confirm an address, unsubscribe), which work without a login.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { documented, errors } from '../http/openapi.js';
import { idParam, jsonBody } from '../http/validate.js';
import { nowSeconds } from '../db/index.js';
import { viewerOf } from '../permissions.js';
import { ApiError } from '../http/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import {
  addDestination,
  alertsOverview,
  confirmEmail,
  createSubscription,
  deleteSubscription,
  optOutDestination,
  previewJob,
  queueTest,
  removeDestination,
  requireAlerts,
  resendVerification,
  resumeDestination,
  updateSubscription,
  verifyPhone,
} from './data.js';
import { readSignedToken } from './links.js';
import { alertSettings, signingSecret } from './provider-data.js';
import { renderAlert, type AlertFacts } from './render.js';
import { viewLink } from './links.js';
import {
  AlertsOverview,
  Destination,
  DestinationCreate,
  Preview,
  PreviewBody,
  Queued,
  Subscription,
  SubscriptionCreate,
  SubscriptionUpdate,
  TestBody,
  VerifyBody,
} from './schemas.js';

const session = { auth: 'session' as const, tags: ['alerts'] };
export const VERIFICATIONS_PER_HOUR = 10;
const Token = z.object({ token: z.string().max(200) });

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page for a link opened from an email: no script, no style, no outside resource. */
function page(c: Context<PortalEnv>, status: 200 | 400, title: string, message: string, button?: string) {
  c.header('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  const name = escape(c.get('provider').name);
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)} · ${name}</title></head>` +
      `<body><main><h1>${escape(title)}</h1><p>${escape(message)}</p>` +
      (button ? `<form method="post"><button type="submit">${escape(button)}</button></form>` : '') +
      `<p>${name}</p></main></body></html>`,
    status,
  );
}

export function alertPortalRoutes(deps: Deps) {
  const { db } = deps;
  // Codes, links and tests go out at once, off the request path.
  const kick = () => setImmediate(() => void deps.alerts.flush());
  const ctx = (c: Context<PortalEnv>) => ({ provider: c.get('provider'), viewer: viewerOf(c.get('contact')) });
  // Codes and links per contact, whichever addresses: adding and removing phones must not make a free SMS pump.
  const verifications = new RateLimiter(VERIFICATIONS_PER_HOUR, 3600_000);
  const limitVerifications = (c: Context<PortalEnv>) => {
    const key = String(c.get('contact').id);
    const wait = verifications.retryAfter(key);
    if (wait > 0) throw new ApiError(429, 'rate_limited', `Too many codes and links sent. Try again in ${Math.ceil(wait / 60)} minute(s).`, undefined, { 'Retry-After': String(wait) });
    verifications.record(key);
  };

  return new Hono<PortalEnv>()
    // '/alerts/*' also matches '/alerts' itself. The pages an email links to live under /alert-links.
    .use('/alerts/*', requireSession(deps))
    .get('/alerts', documented({ ...session, summary: "The contact's alerts, addresses and what the provider offers", responses: { 200: AlertsOverview, ...errors(401, 403) } }), (c) => {
      const { provider, viewer } = ctx(c);
      return c.json(alertsOverview(db, provider, viewer));
    })
    .post('/alerts/subscriptions', documented({ ...session, summary: 'Set up an alert', responses: { 201: Subscription, ...errors(400, 401, 403, 404, 409) } }), jsonBody(SubscriptionCreate), (c) => {
      const { provider, viewer } = ctx(c);
      return c.json(createSubscription(db, provider, viewer, c.req.valid('json')), 201);
    })
    .patch('/alerts/subscriptions/:id', documented({ ...session, summary: 'Change or pause an alert', responses: { 200: Subscription, ...errors(400, 401, 403, 404) } }), idParam, jsonBody(SubscriptionUpdate), (c) => {
      const { provider, viewer } = ctx(c);
      return c.json(updateSubscription(db, provider, viewer, c.req.valid('param').id, c.req.valid('json')));
    })
    .delete('/alerts/subscriptions/:id', documented({ ...session, summary: 'Delete an alert', responses: { 204: 'Deleted', ...errors(400, 401, 403, 404) } }), idParam, (c) => {
      const { provider, viewer } = ctx(c);
      deleteSubscription(db, provider, viewer, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .post('/alerts/destinations', documented({ ...session, summary: 'Add an email address (confirmed by a link) or a phone (verified by a code)', responses: { 201: Destination, ...errors(400, 401, 403, 409) } }), jsonBody(DestinationCreate), (c) => {
      const { provider, viewer } = ctx(c);
      limitVerifications(c);
      const d = addDestination(db, provider, viewer, c.req.valid('json'));
      kick();
      return c.json(d, 201);
    })
    .delete('/alerts/destinations/:id', documented({ ...session, summary: 'Remove an address or phone', responses: { 204: 'Removed', ...errors(400, 401, 403, 404, 409) } }), idParam, (c) => {
      const { provider, viewer } = ctx(c);
      removeDestination(db, provider, viewer, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .post('/alerts/destinations/:id/resend', documented({ ...session, summary: 'Send another code or link (after a cooldown)', responses: { 200: Destination, ...errors(400, 401, 403, 404, 409, 429) } }), idParam, (c) => {
      const { provider, viewer } = ctx(c);
      limitVerifications(c);
      const d = resendVerification(db, provider, viewer, c.req.valid('param').id);
      kick();
      return c.json(d);
    })
    .post('/alerts/destinations/:id/verify', documented({ ...session, summary: "Verify a phone with the code sent to it", responses: { 200: Destination, ...errors(400, 401, 403, 404, 409, 410, 429) } }), idParam, jsonBody(VerifyBody), (c) => {
      const { provider, viewer } = ctx(c);
      return c.json(verifyPhone(db, provider, viewer, c.req.valid('param').id, c.req.valid('json').code));
    })
    .post('/alerts/destinations/:id/resume', documented({ ...session, summary: 'Receive alerts at an unsubscribed address again', responses: { 200: Destination, ...errors(400, 401, 403, 404, 409) } }), idParam, (c) => {
      const { provider, viewer } = ctx(c);
      return c.json(resumeDestination(db, provider, viewer, c.req.valid('param').id));
    })
    .post('/alerts/test', documented({ ...session, summary: 'Send a test alert to one address or phone', responses: { 202: Queued, ...errors(400, 401, 403, 404, 409, 429) } }), jsonBody(TestBody), (c) => {
      const { provider, viewer } = ctx(c);
      queueTest(db, provider, viewer, c.req.valid('json').destinationId);
      kick();
      return c.json({ message: 'A test alert is on its way.' }, 202);
    })
    .post('/alerts/preview', documented({ ...session, summary: 'An alert as it will be sent, in the provider’s branding', responses: { 200: Preview, ...errors(400, 401, 403, 404) } }), jsonBody(PreviewBody), (c) => {
      const { provider, viewer } = ctx(c);
      requireAlerts(provider, viewer);
      const b = c.req.valid('json');
      const offer = alertSettings(db, provider.id);
      const now = nowSeconds();
      const real = b.jobId === undefined ? null : previewJob(db, viewer, b.jobId);
      const facts: AlertFacts = {
        event: b.event,
        kind: 'alert',
        contactName: c.get('contact').name,
        timeZone: offer.timeZone,
        job: {
          number: real?.number ?? 'J-1001',
          title: real?.title ?? 'Boiler service',
          address: real?.address ?? '1 Example Street',
          start: real?.scheduled_start ?? now - (now % 3600) + 2 * 86400,
          technician: real?.technician ?? 'Sam',
          eta: now - (now % 900) + 1800,
          reminderHours: offer.reminderHours.min,
        },
        quote: { number: 'Q-501', title: 'New boiler', totalCents: 125000, currency: 'USD', validUntil: now + 14 * 86400 },
        link: viewLink(provider, b.event === 'quote_ready' ? 'quotes' : 'jobs', b.jobId ?? 1001),
        followLink: b.event === 'on_the_way' && provider.features.map && viewer.permissions.map ? viewLink(provider, 'jobs', b.jobId ?? 1001) : null,
      };
      const r = renderAlert(provider, deps.settings.publicUrl, b.channel, facts, null);
      return c.json({ channel: b.channel, subject: r.subject, text: r.text, html: r.html });
    })
    // Opened from an email: GET shows a button (link scanners open links too), POST acts.
    .get('/alert-links/confirm/:token', documented({ summary: 'Page confirming an extra email address (from its link)', responses: { 200: { description: 'HTML page', content: 'text/html' } } }), (c) =>
      page(c, 200, 'Confirm your email address', 'Press the button to receive job alerts at this address.', 'Confirm'))
    .post('/alert-links/confirm/:token', documented({ summary: 'Confirm an extra email address', responses: { 200: { description: 'HTML page', content: 'text/html' }, 400: { description: 'HTML page: the link is not valid', content: 'text/html' } } }), (c) => {
      const t = Token.safeParse({ token: c.req.param('token') });
      return t.success && confirmEmail(db, c.get('provider').id, t.data.token)
        ? page(c, 200, 'Address confirmed', 'Job alerts can now be sent to this address.')
        : page(c, 400, 'This link does not work', 'It may have expired or been used already. Ask for a new one in the portal.');
    })
    .get('/alert-links/unsubscribe/:token', documented({ summary: 'Page to unsubscribe an address from alert emails', responses: { 200: { description: 'HTML page', content: 'text/html' } } }), (c) =>
      page(c, 200, 'Unsubscribe from job alerts', 'Press the button and this address gets no more job alert emails.', 'Unsubscribe'))
    .post('/alert-links/unsubscribe/:token', documented({ summary: 'One-click unsubscribe (RFC 8058)', responses: { 200: { description: 'HTML page', content: 'text/html' }, 400: { description: 'HTML page: the link is not valid', content: 'text/html' } } }), (c) => {
      const providerId = c.get('provider').id;
      const id = readSignedToken(signingSecret(db, providerId), 'unsubscribe', providerId, c.req.param('token') ?? '');
      return id !== null && optOutDestination(db, providerId, id)
        ? page(c, 200, 'You are unsubscribed', 'This address gets no more job alert emails. You can turn them back on in the portal.')
        : page(c, 400, 'This link does not work', 'Unsubscribe from the portal’s Alerts page instead.');
    });
}
