/**
 * The customer portal on a demo page, through the UI, as the demo contacts: what each may see
 * and do, and that what they do reaches the provider's office (the provider API) at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createApiKey } from '../../server/providers/api-keys.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { ACME, ALEX, TIMEOUT, collectErrors, expectSignedIn, startE2E, submitLogin, type E2E } from './helpers.js';

let e2e: E2E;
let officeKey: string;
before(async () => {
  e2e = await startE2E();
  officeKey = createApiKey(e2e.server.db, getProviderBySlug(e2e.server.db, 'acme-plumbing')!.id, 'e2e office').key;
});
after(async () => {
  await e2e?.close();
});

const JORDAN = { email: 'jordan@example.com', password: 'portal-demo-3', name: 'Jordan Lee', company: 'Harbour View Apartments' };

async function logIn(who: { email: string; password: string; name: string; company: string }): Promise<{ page: Page; errors: string[]; done: () => Promise<void> }> {
  const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(e2e.server.url + ACME);
  await submitLogin(page, who);
  await expectSignedIn(page, who);
  return { page, errors, done: () => context.close() };
}

const office = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${e2e.server.url}/api/provider/v1${path}`, { headers: { Authorization: `Bearer ${officeKey}` } });
  assert.equal(r.status, 200, `office GET ${path}`);
  return (await r.json()) as T;
};

describe('customer portal on the demo page', () => {
  test('Alex (full permissions): every tab; creates a job the office sees at once, edits it, accepts a quote', async () => {
    const { page, errors, done } = await logIn(ALEX);
    try {
      const tabs = await page.getByRole('tab').allTextContents();
      assert.deepEqual(tabs.map((t) => t.trim()), ['Jobs', 'Quotes', 'Equipment', 'Map', 'My details', 'Alerts']);

      // Create a job.
      await page.getByRole('button', { name: 'New job' }).click();
      await page.getByLabel('What needs doing').fill('Dripping bathroom tap <b>urgent</b>');
      await page.locator('job-form').getByLabel('Address').fill('12 Quay Street, Flat 4');
      await page.getByLabel('Time of day').selectOption('morning');
      await page.getByLabel('Notes on timing').fill('Friday morning');
      await page.getByRole('button', { name: 'Send job request' }).click();
      const row = page.getByRole('button', { name: /Dripping bathroom tap <b>urgent<\/b>/ });
      await row.waitFor({ timeout: TIMEOUT });

      // The office sees it at once, as created in the portal.
      const { items } = await office<{ items: { id: number; title: string; source: string; status: string }[] }>('/jobs?limit=500');
      const created = items.find((j) => j.title === 'Dripping bathroom tap <b>urgent</b>');
      assert.ok(created, 'the provider API lists the new job');
      assert.equal(created.source, 'portal');
      assert.equal(created.status, 'requested');

      // Open it, edit it; the change is on the timeline.
      await row.click();
      await page.getByRole('heading', { name: /Dripping bathroom tap/ }).waitFor();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      await page.getByLabel('Notes on timing').fill('Saturday after 10');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Saturday after 10').first().waitFor({ timeout: TIMEOUT });
      const job = await office<{ preferredDates: string; timeline: { message: string }[] }>(`/jobs/${created.id}`);
      assert.equal(job.preferredDates, 'Saturday after 10');
      assert.ok(job.timeline.some((e) => /preferred dates/.test(e.message)), 'the edit is on the timeline');
      await page.getByRole('button', { name: 'Back to jobs' }).click();

      // Accept a quote waiting for an answer.
      await page.getByRole('tab', { name: 'Quotes' }).click();
      await page.locator('quote-list').getByRole('button', { name: /Awaiting answer/ }).first().click();
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      // It asks first (an answer is final); Escape keeps the quote open, unanswered.
      await page.getByRole('button', { name: 'Yes, accept' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Accept', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await page.getByRole('button', { name: 'Yes, accept' }).click();
      await page.getByText('Accepted').first().waitFor({ timeout: TIMEOUT });
      const quotes = await office<{ items: { status: string; response: { status: string } | null }[] }>('/quotes?limit=500');
      assert.ok(quotes.items.some((q) => q.response?.status === 'accepted' && q.status === 'accepted'));

      assert.deepEqual(errors, []);
    } finally {
      await done();
    }
  });

  test('Jordan (jobs: view own; no quotes, no equipment, details view only) sees exactly that', async () => {
    const { page, errors, done } = await logIn(JORDAN);
    try {
      const tabs = (await page.getByRole('tab').allTextContents()).map((t) => t.trim());
      assert.deepEqual(tabs, ['Jobs', 'My details', 'Alerts']);
      // Only Jordan's own jobs: compare with what the office knows of Jordan's jobs.
      await page.locator('job-list:not([busy])').waitFor();
      const shown = await page.locator('job-list').getByRole('listitem').count();
      const all = await office<{ items: { contactId: number | null; createdByContactId: number | null }[] }>('/jobs?limit=500');
      const jordanId = (e2e.server.db.prepare("SELECT id FROM contacts WHERE email = 'jordan@example.com'").pluck().get() as number);
      const own = all.items.filter((j) => j.contactId === jordanId || j.createdByContactId === jordanId).length;
      assert.ok(own > 0 && own < 20, `Jordan has some jobs of the company's (${own})`);
      assert.equal(shown, own, 'the list shows exactly Jordan\'s own jobs');
      assert.equal(await page.getByRole('button', { name: 'New job' }).count(), 1, 'Jordan may create jobs');

      await page.getByRole('tab', { name: 'My details' }).click();
      await page.getByText('Harbour View Apartments').first().waitFor();
      assert.equal(await page.locator('my-details').getByRole('button', { name: 'Edit' }).count(), 0, 'details are view-only for Jordan');
      assert.deepEqual(errors, []);
    } finally {
      await done();
    }
  });
});
