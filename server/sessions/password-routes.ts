import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { changePassword, findLink, requestPasswordReset, setPasswordWithLink } from './accounts.js';
import { hashToken } from '../auth/index.js';
import { audit } from './audit.js';
import { contactView, findContactByEmail } from '../companies/data.js';
import { publicProvider } from '../providers/data.js';
import { clientIp, clientKey } from '../http/client-ip.js';
import { take } from '../http/ip-limit.js';
import { jsonBody } from '../http/validate.js';
import { ChangePasswordBody, ForgotPasswordBody, LinkBody, type LinkInfo, LinkInfoSchema, type LoginResponse, LoginResponseSchema, type MessageResponse, MessageResponseSchema, SetPasswordBody } from './schemas.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from './require-session.js';

const FORGOT_ANSWER =
  'If that address belongs to an account here, we have sent it a link to choose a new password. Check your inbox (and spam folder).';

/** Forgot password, invitation and reset links, change password, log out everywhere. */
export function passwordPortalRoutes(deps: Deps) {
  const { db, auth, limits, settings } = deps;
  const authed = requireSession(deps);
  return new Hono<PortalEnv>()
    .post('/password/forgot', documented({ summary: 'Send a password reset link (same answer whether or not the address has an account)', responses: { 202: MessageResponseSchema, ...errors(400, 415, 429) } }), jsonBody(ForgotPasswordBody), async (c) => {
      const provider = c.get('provider');
      const { email } = c.req.valid('json');
      const ip = clientIp(c, settings.trustProxy);
      await take(limits.resetIp, clientKey(c, settings.trustProxy));
      // Keyed by the address as typed, known or not, so the limit itself reveals nothing.
      await take(limits.resetAddress, `${provider.id}:${email.toLowerCase()}`);
      // Answer first, then look the address up and issue the link: known and unknown addresses
      // do the same work before the answer, so its timing tells nothing (bench/auth-timing.ts).
      setImmediate(() => {
        try {
          requestPasswordReset(deps, provider, findContactByEmail(db, provider.id, email), ip);
        } catch (error) {
          settings.log(`password reset for provider ${provider.slug} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      return c.json<MessageResponse>({ message: FORGOT_ANSWER }, 202);
    })
    .post('/password/link', documented({ summary: 'What an invitation or reset link is for (before choosing a password)', responses: { 200: LinkInfoSchema, ...errors(400, 404, 410, 415) } }), jsonBody(LinkBody), (c) => {
      const provider = c.get('provider');
      const { token } = c.req.valid('json');
      const { link, contact } = findLink(db, provider, token);
      return c.json<LinkInfo>({
        purpose: link.purpose,
        email: contact.email,
        name: contact.name,
        expiresAt: new Date(link.expires_at * 1000).toISOString(),
      });
    })
    .post('/password/set', documented({ summary: 'Choose a password with an invitation or reset link; logs in', responses: { 200: LoginResponseSchema, ...errors(400, 403, 404, 410, 415, 429) } }), jsonBody(SetPasswordBody), async (c) => {
      const provider = c.get('provider');
      const { token, password } = c.req.valid('json');
      // Only a live link is counted: an unknown token is refused first, so guessing tokens
      // fills no limiter (the per-address limit in front bounds how fast one can guess).
      findLink(db, provider, token);
      await take(limits.resetLink, hashToken(token));
      const ip = clientIp(c, settings.trustProxy);
      const contact = await setPasswordWithLink(deps, provider, token, password, ip);
      const session = await auth.create(contact.id, provider.id);
      audit(db, { providerId: provider.id, contactId: contact.id, event: 'login', ip, detail: { via: 'link' } });
      return c.json<LoginResponse>({
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        me: { ...contactView(db, contact), provider: publicProvider(provider) },
      });
    })
    .post('/password/change', documented({ summary: 'Change the password (other sessions end)', auth: 'session', responses: { 200: MessageResponseSchema, ...errors(400, 401, 415, 429) } }), authed, jsonBody(ChangePasswordBody), async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      const provider = c.get('provider');
      const contact = c.get('contact');
      await take(limits.loginAccount, `${provider.id}:${contact.email.toLowerCase()}`);
      await changePassword(deps, provider, contact, c.get('session').id, currentPassword, newPassword, clientIp(c, settings.trustProxy));
      await limits.loginAccount.reset(`${provider.id}:${contact.email.toLowerCase()}`);
      return c.json<MessageResponse>({ message: 'Your password was changed. Your other devices were logged out.' });
    })
    .delete('/sessions', documented({ summary: 'Log out everywhere: ends every session of this contact', auth: 'session', responses: { 204: 'Logged out everywhere', ...errors(401) } }), authed, async (c) => {
      const contact = c.get('contact');
      await auth.invalidateAll(contact.id);
      audit(db, { providerId: c.get('provider').id, contactId: contact.id, event: 'logout_everywhere', ip: clientIp(c, settings.trustProxy) });
      return c.body(null, 204);
    });
}
