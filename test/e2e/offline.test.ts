/**
 * Offline use in Chromium with the network really cut (the browser context offline, and the
 * portal API unreachable across a reload): what was seen stays readable with a banner, a job
 * request made offline waits as a draft, survives a reload, is sent once when the connection
 * returns; a refusal shows on its draft; logging out leaves nothing of the contact behind, and
 * the next contact sees nothing of theirs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { ACME, ALEX, TIMEOUT, collectErrors, expectSignedIn, startE2E, submitLogin, type E2E } from './helpers.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(async () => {
  await e2e?.close();
});

const JORDAN = { email: 'jordan@example.com', password: 'portal-demo-3', name: 'Jordan Lee', company: 'Harbour View Apartments' };
const jobsTitled = (title: string): number => e2e.server.db.prepare('SELECT count(*) FROM jobs WHERE title = ?').pluck().get(title) as number;

/** Cuts (or restores) the portal API for the page while the page itself still loads: as a server gone away. */
async function apiReachable(context: BrowserContext, reachable: boolean): Promise<void> {
  if (reachable) await context.unroute('**/api/portal/**');
  else await context.route('**/api/portal/**', (route) => route.abort('internetdisconnected'));
}

/** Every key the offline layer and session store hold in this page's origin (both storages). */
async function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const tab = Object.keys(sessionStorage);
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('keyval-store');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const idb = await new Promise<string[]>((ok) => {
      if (!db.objectStoreNames.contains('keyval')) return ok([]);
      const r = db.transaction('keyval').objectStore('keyval').getAllKeys();
      r.onsuccess = () => ok(r.result.map(String));
    });
    return [...tab, ...idb].filter((k) => k.startsWith('portal-'));
  });
}

async function newJob(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New job' }).click();
  await page.getByLabel('What needs doing').fill(title);
  await page.locator('job-form').getByLabel('Address').fill('12 Quay Street');
  await page.getByRole('button', { name: 'Send job request' }).click();
}

describe('offline', () => {
  test('read offline, queue a job request, survive a reload, send it once on reconnect; logout leaves nothing; the next contact sees nothing', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = collectErrors(page);
    try {
      await page.goto(e2e.server.url + ACME);
      await submitLogin(page, ALEX);
      await expectSignedIn(page, ALEX);
      const list = page.locator('job-list');
      await list.getByRole('listitem').first().waitFor();
      const seenTitles = (await list.locator('li[part~="row"]').allInnerTexts()).slice(0, 3);
      assert.ok(seenTitles.length > 0);

      // Offline: the jobs seen stay on screen, marked as the copy they are.
      await context.setOffline(true);
      await page.getByText(/offline, showing what you saw at \d{1,2}:\d{2}/).first().waitFor();
      assert.deepEqual((await list.locator('li[part~="row"]').allInnerTexts()).slice(0, 3), seenTitles, 'the same rows as before');

      // A job request made offline waits as a draft.
      const title = `Offline request ${Date.now()}`;
      await newJob(page, title);
      await page.getByText(/saved as a draft/).first().waitFor();
      const draft = list.locator('[part="draft"]', { hasText: title });
      await draft.getByText('Waiting to send').waitFor();
      assert.equal(jobsTitled(title), 0, 'nothing reached the server');

      // Across a reload with the API still unreachable: restored from the saved copies, the draft still there.
      // (The API is cut first: back online with it reachable, the draft would be sent at once.)
      await apiReachable(context, false);
      await context.setOffline(false);
      await page.reload();
      await expectSignedIn(page, ALEX);
      await page.getByText(/offline, showing what you saw at/).first().waitFor();
      await draft.getByText('Waiting to send').waitFor();
      assert.equal(jobsTitled(title), 0);

      // The connection returns: the draft is sent (its Idempotency-Key makes every attempt one job) and shows in the list.
      await apiReachable(context, true);
      await context.setOffline(true);
      await context.setOffline(false); // the browser's `online` event
      await list.getByRole('button', { name: new RegExp(title) }).waitFor();
      await draft.waitFor({ state: 'detached' });
      assert.equal(jobsTitled(title), 1, 'sent exactly once');
      await page.getByText(/offline, showing what you saw/).first().waitFor({ state: 'detached' });

      // A refusal shows on the draft: Alex may no longer create jobs by the time it is sent.
      await context.setOffline(true);
      const refused = `Refused request ${Date.now()}`;
      await page.getByRole('button', { name: 'Cancel' }).click().catch(() => undefined);
      await newJob(page, refused);
      await list.locator('[part="draft"]', { hasText: refused }).getByText('Waiting to send').waitFor();
      e2e.server.db.prepare("UPDATE contacts SET perm_create_jobs = 0 WHERE email = 'alex@example.com'").run();
      await context.setOffline(false);
      const refusedDraft = list.locator('[part="draft"]', { hasText: refused });
      await refusedDraft.getByText('Not sent').waitFor();
      assert.match(await refusedDraft.getByRole('alert').innerText(), /\S/, 'the server\'s reason is shown');
      assert.equal(jobsTitled(refused), 0);
      await refusedDraft.getByRole('button', { name: 'Discard' }).click();
      await refusedDraft.waitFor({ state: 'detached' });
      e2e.server.db.prepare("UPDATE contacts SET perm_create_jobs = 1 WHERE email = 'alex@example.com'").run();

      // Logging out leaves nothing of Alex in the browser.
      assert.ok((await storedKeys(page)).some((k) => k.startsWith('portal-offline|')), 'sanity: copies were kept');
      await page.locator('portal-login').getByRole('button', { name: 'Log out', exact: true }).click();
      await page.locator('portal-login[status="signed-out"]').waitFor({ state: 'attached' });
      await expect.poll(async () => (await storedKeys(page)).filter((k) => k.startsWith('portal-offline')));

      // Jordan on the same browser, then offline: nothing of Alex's is shown.
      await submitLogin(page, JORDAN);
      await expectSignedIn(page, JORDAN);
      await list.getByRole('listitem').first().waitFor();
      await context.setOffline(true);
      await page.getByText(/offline, showing what you saw at/).first().waitFor();
      const shown = await list.innerText();
      assert.doesNotMatch(shown, new RegExp(title), "Alex's job is not in Jordan's list");
      assert.equal(await list.locator('[part="draft"]').count(), 0);
      assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test("an expired session hides the contact's copies: another contact on the same browser, online or not, sees none of them", async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    try {
      await page.goto(e2e.server.url + ACME);
      await submitLogin(page, ALEX, { remember: true });
      await expectSignedIn(page, ALEX);
      const list = page.locator('job-list');
      await list.getByRole('listitem').first().waitFor();
      const alexRows = await list.locator('li[part~="row"]').allInnerTexts();
      assert.ok((await storedKeys(page)).some((k) => k.startsWith('portal-offline|')), 'sanity: copies were kept');

      // The office ends every session of Alex's; the next request finds out.
      e2e.server.db.prepare("DELETE FROM sessions WHERE contact_id = (SELECT id FROM contacts WHERE email = 'alex@example.com')").run();
      await page.reload();
      await page.locator('portal-login[status="signed-out"]').waitFor({ state: 'attached' });
      assert.equal(await list.locator('li[part~="row"]').count(), 0, 'nothing of Alex is shown signed out');

      // Jordan on the same browser, then the API cut and a reload: only Jordan's own jobs, from Jordan's copies.
      await submitLogin(page, JORDAN);
      await expectSignedIn(page, JORDAN);
      await list.getByRole('listitem').first().waitFor();
      const jordanRows = await list.locator('li[part~="row"]').allInnerTexts();
      // The copy is written a moment after the rows show (the answer is read a second time, off the page's path).
      const jordanId = e2e.server.db.prepare("SELECT id FROM contacts WHERE email = 'jordan@example.com'").pluck().get() as number;
      await waitFor(async () => (await storedKeys(page)).some((k) => k.includes(`|${jordanId}|get|/jobs?`)), "Jordan's job list was never kept");
      await apiReachable(context, false);
      await page.reload();
      await expectSignedIn(page, JORDAN);
      await page.getByText(/offline, showing what you saw at/).first().waitFor();
      await list.locator('li[part~="row"]').first().waitFor();
      assert.deepEqual(await list.locator('li[part~="row"]').allInnerTexts(), jordanRows);
      const onlyAlex = alexRows.filter((r) => !jordanRows.includes(r));
      assert.ok(onlyAlex.length > 0, "sanity: Alex saw jobs Jordan may not");
      const shown = await list.innerText();
      for (const row of onlyAlex) assert.ok(!shown.includes(row), `Alex's row is not shown to Jordan: ${row.slice(0, 40)}`);
      await apiReachable(context, true);
    } finally {
      await context.close();
    }
  });
});

/** Waits until `check` holds. */
async function waitFor(check: () => Promise<boolean>, message: string): Promise<void> {
  const until = Date.now() + TIMEOUT;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(message);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `read` gives an empty list (the layer forgets asynchronously). */
const expect = {
  async poll(read: () => Promise<string[]>): Promise<void> {
    const until = Date.now() + TIMEOUT;
    let last: string[] = [];
    while (Date.now() < until) {
      last = await read();
      if (!last.length) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(last, [], 'nothing of the contact is left');
  },
};
