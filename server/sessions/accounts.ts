/**
 * Getting into an account without a password ever travelling in clear text: invitations,
 * password resets and password changes. Links carry a random token in the URL fragment
 * (never sent to any server, nor in a Referer); only its SHA-256 is stored.
 */
import { randomBytes } from 'node:crypto';
import { type Auth, hashToken } from '../auth/index.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-rules.js';
import { audit } from './audit.js';
import { type ContactRow, getContact } from '../companies/data.js';
import type { Provider } from '../providers/data.js';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import type { Mailer } from '../mail/mailer.js';
import { inviteMail, passwordChangedMail, resetMail } from '../mail/templates.js';
import type { Settings } from '../settings.js';

export interface AccountDeps {
  db: Db;
  auth: Auth;
  mailer: Mailer;
  settings: Settings;
}

/** What sending an invitation or reset needs: no sessions involved. */
export type MailDeps = Pick<AccountDeps, 'db' | 'mailer' | 'settings'>;

export type LinkPurpose = 'invite' | 'reset';

interface LinkRow {
  id: number;
  contact_id: number;
  purpose: LinkPurpose;
  expires_at: number;
  used_at: number | null;
}

/** The portal page URL with the token in its fragment: `…#portal-reset=<token>`. */
export function linkUrl(provider: Provider, purpose: LinkPurpose, token: string): string {
  const url = new URL(requirePortalUrl(provider));
  url.hash = `portal-${purpose}=${token}`;
  return url.toString();
}

function requirePortalUrl(provider: Provider): string {
  if (!provider.portalUrl) {
    throw new ApiError(409, 'portal_url_missing', `Provider "${provider.slug}" has no portal URL to link to; set one first.`);
  }
  return provider.portalUrl;
}

function issueLink(db: Db, provider: Provider, contactId: number, purpose: LinkPurpose, ttlMs: number): string {
  const token = randomBytes(32).toString('base64url');
  const now = nowSeconds();
  db.transaction(() => {
    // A new link replaces any earlier unused one of the same kind.
    stmt(db, 'UPDATE auth_links SET used_at = ? WHERE contact_id = ? AND purpose = ? AND used_at IS NULL').run(now, contactId, purpose);
    stmt(
      db,
      'INSERT INTO auth_links (provider_id, contact_id, purpose, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(provider.id, contactId, purpose, hashToken(token), now + Math.round(ttlMs / 1000), now);
  })();
  return token;
}

/** Sends (or re-sends) the invitation email with a 7-day one-time link. */
export function inviteContact(deps: MailDeps, provider: Provider, contact: ContactRow): { expiresAt: Date } {
  if (contact.provider_id !== provider.id) throw new Error('contact of another provider');
  if (contact.disabled) throw new ApiError(409, 'account_disabled', 'This contact is disabled; enable it before inviting.');
  requirePortalUrl(provider);
  const ttl = deps.settings.inviteTtlMs;
  const token = issueLink(deps.db, provider, contact.id, 'invite', ttl);
  const mail = inviteMail(provider, deps.settings.publicUrl, contact.name, linkUrl(provider, 'invite', token), Math.round(ttl / 86_400_000));
  deps.mailer.enqueue({ providerId: provider.id, to: contact.email, fromName: provider.name, kind: 'invite', ...mail });
  audit(deps.db, { providerId: provider.id, contactId: contact.id, event: 'invite_sent' });
  return { expiresAt: new Date(Date.now() + ttl) };
}

/**
 * Sends a reset link when the address belongs to an enabled contact of this provider; does
 * nothing visible otherwise. The caller answers the same either way.
 */
export function requestPasswordReset(deps: MailDeps, provider: Provider, contact: ContactRow | undefined, ip: string): void {
  audit(deps.db, { providerId: provider.id, contactId: contact?.id ?? null, event: 'reset_requested', ip, detail: { known: !!contact } });
  if (!contact || contact.disabled || !provider.portalUrl) return;
  const ttl = deps.settings.resetTtlMs;
  const token = issueLink(deps.db, provider, contact.id, 'reset', ttl);
  const mail = resetMail(provider, deps.settings.publicUrl, contact.name, linkUrl(provider, 'reset', token), Math.round(ttl / 60_000));
  deps.mailer.enqueue({ providerId: provider.id, to: contact.email, fromName: provider.name, kind: 'reset', ...mail });
}

/** A live link of this provider, or the reason it cannot be used. */
export function findLink(db: Db, provider: Provider, token: string): { link: LinkRow; contact: ContactRow } {
  const link = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? stmt<[string, number], LinkRow>(
        db,
        'SELECT id, contact_id, purpose, expires_at, used_at FROM auth_links WHERE token_hash = ? AND provider_id = ?',
      ).get(hashToken(token), provider.id)
    : undefined;
  if (!link) throw new ApiError(400, 'invalid_link', 'This link is not valid. Check that you copied all of it, or ask for a new one.');
  if (link.used_at !== null) throw new ApiError(410, 'link_used', 'This link has already been used. Ask for a new one.');
  if (link.expires_at <= nowSeconds()) throw new ApiError(410, 'link_expired', 'This link has expired. Ask for a new one.');
  const contact = getContact(db, provider.id, link.contact_id);
  if (!contact || contact.disabled) throw new ApiError(403, 'account_disabled', `This account is disabled. Please contact ${provider.name}.`);
  return { link, contact };
}

function checkNewPassword(password: string, email: string, field: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new ApiError(400, 'weak_password', `Password ${problem}.`, { [field]: `Password ${problem}.` });
}

function changedNotice(deps: MailDeps, provider: Provider, contact: ContactRow): void {
  const mail = passwordChangedMail(provider, deps.settings.publicUrl, contact.name, provider.portalUrl);
  deps.mailer.enqueue({ providerId: provider.id, to: contact.email, fromName: provider.name, kind: 'password_changed', ...mail });
}

/**
 * Sets the password from an invitation or reset link, once. Ends every session the contact
 * had; the caller logs the contact in afresh.
 */
export async function setPasswordWithLink(
  deps: AccountDeps,
  provider: Provider,
  token: string,
  password: string,
  ip: string,
): Promise<ContactRow> {
  const { link, contact } = findLink(deps.db, provider, token);
  checkNewPassword(password, contact.email, 'password');
  const hash = await hashPassword(password);
  const now = nowSeconds();
  deps.db.transaction(() => {
    // Claiming the link and setting the password are one step: a link raced twice sets it once.
    const claimed = stmt(deps.db, 'UPDATE auth_links SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?').run(
      now,
      link.id,
      now,
    );
    if (claimed.changes !== 1) throw new ApiError(410, 'link_used', 'This link has already been used. Ask for a new one.');
    stmt(deps.db, 'UPDATE contacts SET password_hash = ?, updated_at = ? WHERE id = ? AND provider_id = ?').run(hash, now, contact.id, provider.id);
    // Any other outstanding link is now moot.
    stmt(deps.db, 'UPDATE auth_links SET used_at = ? WHERE contact_id = ? AND used_at IS NULL').run(now, contact.id);
  })();
  await deps.auth.invalidateAll(contact.id);
  if (link.purpose === 'reset') changedNotice(deps, provider, contact);
  audit(deps.db, {
    providerId: provider.id,
    contactId: contact.id,
    event: link.purpose === 'invite' ? 'invite_accepted' : 'password_changed',
    ip,
    detail: { via: link.purpose },
  });
  return contact;
}

/** A logged-in contact changes their password; every other session ends, this one stays. */
export async function changePassword(
  deps: AccountDeps,
  provider: Provider,
  contact: ContactRow,
  currentSessionId: string,
  current: string,
  next: string,
  ip: string,
): Promise<void> {
  if (!(await verifyPassword(contact.password_hash, current))) {
    throw new ApiError(400, 'wrong_password', 'Your current password is not right.', { currentPassword: 'Your current password is not right.' });
  }
  checkNewPassword(next, contact.email, 'newPassword');
  if (next === current) throw new ApiError(400, 'weak_password', 'Choose a password different from the current one.', { newPassword: 'Choose a password different from the current one.' });
  const hash = await hashPassword(next);
  deps.db.transaction(() => {
    stmt(deps.db, 'UPDATE contacts SET password_hash = ?, updated_at = ? WHERE id = ? AND provider_id = ?').run(hash, nowSeconds(), contact.id, provider.id);
    stmt(deps.db, 'DELETE FROM sessions WHERE contact_id = ? AND id != ?').run(contact.id, currentSessionId);
  })();
  changedNotice(deps, provider, contact);
  audit(deps.db, { providerId: provider.id, contactId: contact.id, event: 'password_changed', ip, detail: { via: 'change' } });
}
