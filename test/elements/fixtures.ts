/**
 * Extra data the element tests rely on, beside the demo data (seeded by the test runner's
 * config into a fresh database). Runs in Node, never in the browser.
 */
import type { Db } from '../../server/db/index.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact, setContactDisabled } from '../../server/data/contacts.js';
import { getProviderBySlug } from '../../server/data/providers.js';

export async function seedElementFixtures(db: Db): Promise<void> {
  const acme = getProviderBySlug(db, 'acme-plumbing')!;
  const company = createCompany(db, acme.id, { name: 'Element Test Co' });
  const hash = await hashPassword('element-test-1');
  // Each test that logs in uses its own contact, so rate limits and sessions never cross tests.
  for (const name of ['login', 'logout', 'restore', 'remember', 'events', 'a11y']) {
    createContact(db, acme.id, { companyId: company, email: `${name}@elements.test`, name: `Element ${name}`, passwordHash: hash });
  }
  const disabled = createContact(db, acme.id, { companyId: company, email: 'disabled@elements.test', name: 'Disabled', passwordHash: hash });
  setContactDisabled(db, acme.id, disabled, true);
}
