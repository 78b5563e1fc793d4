/**
 * Element-test data for alert-settings: one contact per test that writes (alerts are per
 * contact), one with alerts off, and a job of their own. Plain data here so the browser-side
 * tests can import it; the seed imports server modules inside.
 */
import type { Db } from '../../server/db/index.js';

export const ALERTS_PROVIDER = 'acme-plumbing';
export const ALERT_JOB_TITLE = 'Alerts test boiler';
/** `<name>@alerts.test`, all in "Alerts Test Co", alerts on unless named "off". */
export const ALERT_CONTACTS = ['list', 'create', 'edit', 'phone', 'email', 'cancel', 'preview', 'keyboard', 'job', 'portal', 'offline', 'errors', 'off'] as const;

export async function seedAlertsFixtures(db: Db, passwordHash: string): Promise<void> {
  const { createCompany, createContact } = await import('../../server/companies/data.js');
  const { getProviderBySlug } = await import('../../server/providers/data.js');
  const { insertJob } = await import('../../server/jobs/data.js');
  const acme = getProviderBySlug(db, ALERTS_PROVIDER)!;
  const company = createCompany(db, acme.id, { name: 'Alerts Test Co' });
  for (const name of ALERT_CONTACTS) {
    const id = createContact(db, acme.id, { companyId: company, email: `${name}@alerts.test`, name: `Alerts ${name}`, passwordHash, permissions: { jobs: 'view_own', alerts: name !== 'off' } });
    insertJob(db, acme.id, { companyId: company, title: ALERT_JOB_TITLE, address: '1 Alert Lane', source: 'office', contactId: id });
  }
}
