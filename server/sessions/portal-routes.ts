import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { contactView, findContactByEmail } from '../companies/data.js';
import { publicProvider } from '../providers/data.js';
import { ApiError } from '../http/errors.js';
import { clientIp, clientKey } from '../http/client-ip.js';
import { jsonBody } from '../http/validate.js';
import { verifyPassword } from '../auth/password.js';
import { audit } from './audit.js';
import { LoginBody, type LoginResponse, LoginResponseSchema, type Me, MeSchema } from './schemas.js';
import { ProviderPublicSchema, type ProviderPublic } from '../providers/schemas.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from './require-session.js';

const INVALID = 'The email or password is not right.';

const tooMany = (retryAfter: number): ApiError =>
  new ApiError(429, 'rate_limited', `Too many attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`, undefined, {
    'Retry-After': String(retryAfter),
  });

/** Log in, log out, who am I; and the public provider configuration the login form is themed with. */
export function sessionPortalRoutes(deps: Deps) {
  const { db, auth, limits, settings } = deps;
  const authed = requireSession(deps);
  return new Hono<PortalEnv>()
    .get('/config', documented({ summary: "The provider's public portal configuration: name, theme, feature switches", responses: { 200: ProviderPublicSchema, ...errors(404) } }), (c) => c.json<ProviderPublic>(publicProvider(c.get('provider'))))
    .post('/session', documented({ summary: 'Log in with email and password; returns a bearer token', responses: { 201: LoginResponseSchema, 400: 'Invalid body', 401: 'Wrong email or password', 403: 'Account disabled', 415: 'Body is not JSON', 429: 'Too many attempts' } }), jsonBody(LoginBody), async (c) => {
      const provider = c.get('provider');
      const { email, password } = c.req.valid('json');
      const accountKey = `${provider.id}:${email.toLowerCase()}`;
      const ipKey = clientIp(c, settings.trustProxy);
      // Counted before the slow verification (and forgiven on success), so parallel guesses
      // cannot all pass the check while the first ones are still being verified.
      const wait = (await limits.loginIp.take(clientKey(c, settings.trustProxy))) || (await limits.loginAccount.take(accountKey));
      if (wait > 0) throw tooMany(wait);

      const contact = findContactByEmail(db, provider.id, email);
      // Always one argon2 verification, known email or not: same answer, similar time.
      const ok = await verifyPassword(contact?.password_hash, password);
      if (!ok || !contact) {
        audit(db, { providerId: provider.id, contactId: contact?.id ?? null, event: 'login_failed', ip: ipKey, detail: { email } });
        throw new ApiError(401, 'invalid_credentials', INVALID);
      }
      if (contact.disabled) throw new ApiError(403, 'account_disabled', `This account is disabled. Please contact ${provider.name}.`);
      await limits.loginAccount.reset(accountKey);
      const { token, expiresAt } = await auth.create(contact.id, provider.id);
      audit(db, { providerId: provider.id, contactId: contact.id, event: 'login', ip: ipKey });
      const me: Me = { ...contactView(db, contact), provider: publicProvider(provider) };
      return c.json<LoginResponse>({ token, expiresAt: expiresAt.toISOString(), me }, 201);
    })
    .delete('/session', documented({ summary: 'Log out: ends this session', auth: 'session', responses: { 204: 'Logged out', ...errors(401) } }), authed, async (c) => {
      await auth.invalidate(c.get('token'));
      audit(db, { providerId: c.get('provider').id, contactId: c.get('contact').id, event: 'logout', ip: clientIp(c, settings.trustProxy) });
      return c.body(null, 204);
    })
    .get('/me', documented({ summary: 'The logged-in contact, their company, permissions and the provider configuration', auth: 'session', responses: { 200: MeSchema, ...errors(401) } }), authed, (c) => {
      const me: Me = { ...contactView(db, c.get('contact')), provider: publicProvider(c.get('provider')) };
      return c.json(me);
    });
}
