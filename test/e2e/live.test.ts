/**
 * Live updates end to end: the real server, the demo page on the second origin (the stream across
 * origins), the office changing things through the provider API, and the page changing by itself.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiKey } from '../../server/providers/api-keys.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { ACME, ALEX, TIMEOUT, collectErrors, demoUrl, expectSignedIn, startE2E, submitLogin, type E2E } from './helpers.js';

let e2e: E2E;
let officeKey: string;
before(async () => {
  e2e = await startE2E();
  officeKey = createApiKey(e2e.server.db, getProviderBySlug(e2e.server.db, 'acme-plumbing')!.id, 'e2e office').key;
});
after(async () => {
  await e2e?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function office(method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${e2e.server.url}/api/provider/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${officeKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `office ${method} ${path}: ${r.status}`);
  return r.json();
}

test('on the demo page (another origin), a job the office sends on its way changes in the list, then moves on the map, without a reload', async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Documents loaded (a hash change for the portal's own view address is no reload).
    let navigations = 0;
    page.on('load', () => navigations++);
    await page.goto(demoUrl(e2e.server) + ACME);
    await submitLogin(page, ALEX);
    await expectSignedIn(page, ALEX);
    await page.locator('portal-root[live-state=open]').waitFor({ timeout: TIMEOUT });
    const loaded = navigations;

    const { items: companies } = await office('GET', '/companies?limit=100');
    const harbour = companies.find((c: { name: string }) => c.name === ALEX.company);
    const { items: jobs } = await office('GET', '/jobs?limit=500');
    const job = jobs.find((j: { companyId: number; status: string; latitude: number | null }) => j.companyId === harbour.id && j.status === 'scheduled' && j.latitude !== null);
    assert.ok(job, 'a scheduled job of Alex\'s company with coordinates');

    const row = page.locator('job-list li.row', { has: page.locator(`button.open[data-id="${job.id}"]`) });
    await row.waitFor({ timeout: TIMEOUT });
    await office('PATCH', `/jobs/${job.id}`, { status: 'on_the_way', note: 'On the way from the depot' });
    await row.locator('.badge', { hasText: 'Technician on the way' }).waitFor({ timeout: TIMEOUT });
    await page.locator('job-list [role=status]', { hasText: `Job ${job.number} is now technician on the way.` }).waitFor({ timeout: TIMEOUT });

    // The Map tab, without tiles (no network here): the job is listed, and its technician appears and moves.
    await page.locator('customer-portal').evaluate((el) => el.setAttribute('map-tile-url', ''));
    await page.getByRole('tab', { name: 'Map' }).click();
    const item = page.locator(`job-map [part=item][data-id="${job.id}"]`);
    await item.waitFor({ timeout: TIMEOUT });
    await page.locator('job-map[ready]').waitFor({ timeout: TIMEOUT });
    await office('POST', `/jobs/${job.id}/position`, { latitude: job.latitude - 0.01, longitude: job.longitude - 0.01 });
    await item.locator('.seen', { hasText: 'Last seen just now' }).waitFor({ timeout: TIMEOUT });
    const technician = page.locator('job-map .marker.technician');
    const before = await technician.evaluate((el) => (el as HTMLElement).style.transform);
    await office('POST', `/jobs/${job.id}/position`, { latitude: job.latitude - 0.002, longitude: job.longitude - 0.002 });
    await page.waitForFunction(
      ([t]) => (document.querySelector('customer-portal')!.shadowRoot!.querySelector('job-map')!.shadowRoot!.querySelector('.marker.technician') as HTMLElement).style.transform !== t,
      [before] as const,
      { timeout: TIMEOUT },
    );

    assert.equal(navigations, loaded, 'no reload');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
