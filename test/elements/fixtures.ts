/**
 * Extra data the element tests rely on, beside the demo data (seeded by the test runner's
 * config into a fresh database). Runs in Node, never in the browser.
 */
import { type Db, nowSeconds, stmt } from '../../server/db/index.js';
import { hashToken } from '../../server/auth/index.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact, setContactDisabled } from '../../server/companies/data.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { LINKS } from './link-tokens.js';
import { seedEquipmentFixtures } from './fixtures-equipment.js';
import { seedJobsFixtures } from './fixtures-jobs.js';
import { seedQuotesFixtures } from './fixtures-quotes.js';
import { seedLiveFixtures } from './fixtures-live.js';
import { seedAlertsFixtures } from './fixtures-alerts.js';

/** Every fixture contact's password. */
export const FIXTURE_PASSWORD = 'element-test-1';

/**
 * One acme-plumbing contact per test that logs in (`<name>@elements.test`, named "Element <name>",
 * company "Element Test Co"), so rate limits and sessions never cross tests.
 */
export const ACME_CONTACTS = [
  // portal-login.test.ts
  'login',
  'logout',
  'events',
  'a11y',
  'wrong-password',
  'cancel-sign-out',
  'busy',
  'keyboard',
  'focus',
  'remember-box',
  'reflect',
  'logout-server',
  // portal-root.test.ts
  'restore',
  'remember',
  'plain',
  'expired',
  'root-context',
  'root-logout',
  'root-logout-offline',
  'root-offline-restore',
  'root-offline-copy',
  // portal-login-account.test.ts (the contacts of its one-time links come from link-tokens.ts)
  'forgot',
  'change-password',
  'everywhere',
] as const;

export async function seedElementFixtures(db: Db): Promise<void> {
  await seedJobsFixtures(db);
  await seedQuotesFixtures(db);
  await seedEquipmentFixtures(db);
  await seedLiveFixtures(db);
  const acme = getProviderBySlug(db, 'acme-plumbing')!;
  const bright = getProviderBySlug(db, 'bright-electric')!;
  const company = createCompany(db, acme.id, { name: 'Element Test Co' });
  const hash = await hashPassword(FIXTURE_PASSWORD);
  await seedAlertsFixtures(db, hash);
  for (const name of ACME_CONTACTS) {
    createContact(db, acme.id, { companyId: company, email: `${name}@elements.test`, name: `Element ${name}`, passwordHash: hash });
  }
  const disabled = createContact(db, acme.id, { companyId: company, email: 'disabled@elements.test', name: 'Disabled', passwordHash: hash });
  setContactDisabled(db, acme.id, disabled, true);

  // One-time links, stored as the server stores them (SHA-256 of the token only).
  const now = nowSeconds();
  for (const link of Object.values(LINKS)) {
    const invited = link.purpose === 'invite' && link.state === 'live';
    const contact = createContact(db, acme.id, {
      companyId: company,
      email: `${link.contact}@elements.test`,
      name: `Element ${link.contact}`,
      // An invited contact has no password until the invitation is accepted.
      passwordHash: invited ? null : hash,
    });
    const expiresAt = link.state === 'expired' ? now - 60 : now + 24 * 3600;
    const usedAt = link.state === 'used' ? now - 60 : null;
    stmt(
      db,
      'INSERT INTO auth_links (provider_id, contact_id, purpose, token_hash, expires_at, used_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(acme.id, contact, link.purpose, hashToken(link.token), expiresAt, usedAt, now - 3600);
  }

  // User text that looks like markup must be shown as text.
  const evilCompany = createCompany(db, acme.id, { name: '<b id="evil-company">Evil</b> & Co' });
  createContact(db, acme.id, { companyId: evilCompany, email: 'xss@elements.test', name: '<img src=x onerror=alert(1)>', passwordHash: hash });

  // A dark-themed provider (server colorScheme dark, a light brand colour).
  const mill = createCompany(db, bright.id, { name: 'Dark Test Co' });
  createContact(db, bright.id, { companyId: mill, email: 'dark@elements.test', name: 'Element dark', passwordHash: hash });
}
