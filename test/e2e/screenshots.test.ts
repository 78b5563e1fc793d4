/**
 * Screenshots of the demo site, logged out and logged in, for a person to look at
 * (.test-output/screenshots/). The test checks what a screenshot cannot prove by itself:
 * the page is in the state named, every image on it loaded, and the file was written.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ACME,
  ALEX,
  BRIGHT,
  SAM,
  expectSignedIn,
  expectSignedOut,
  loginError,
  newPage,
  screenshotPath,
  startE2E,
  submitLogin,
  type E2E,
} from './helpers.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(async () => {
  await e2e?.close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function shoot(page: Page, name: string): Promise<void> {
  const path = screenshotPath(name);
  rmSync(path, { force: true });
  // Nothing may still be loading: fonts, images (the logos), pending renders.
  await page.evaluate(() => document.fonts.ready);
  // 'networkidle' never comes while the live stream is open: wait instead until no request has
  // finished for half a second (a resource entry is added when a request completes; the stream's never).
  await page.waitForLoadState('load');
  let finished = -1;
  for (let settled = 0; settled < 5; ) {
    const now = await page.evaluate(() => performance.getEntriesByType('resource').length);
    settled = now === finished ? settled + 1 : 0;
    finished = now;
    await page.waitForTimeout(100);
  }
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  const file = readFileSync(path);
  assert.ok(file.subarray(0, 8).equals(PNG), `${name} is a PNG`);
  assert.ok(file.length > 5_000, `${name} has content (${file.length} bytes)`);
}

/** Every <img> on the page and in the portal's shadow roots has loaded. */
async function brokenImages(page: Page): Promise<string[]> {
  // No named function inside: tsx would wrap it in a helper (__name) that the page does not have.
  return page.evaluate(async () => {
    const all: HTMLImageElement[] = [];
    const roots: (Document | ShadowRoot)[] = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      all.push(...root.querySelectorAll('img'));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    // decode() settles once the image has loaded (or failed); a logo just rendered may still be on its way.
    await Promise.all(all.map((img) => img.decode().catch(() => undefined)));
    return all.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.currentSrc || img.src);
  });
}

/**
 * Whether portal-root paints a background wider than the login card inside it (a bare slab of
 * colour beside the card).
 */
async function slabBesideCard(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.querySelector('portal-root')!;
    // The demo pages embed customer-portal, whose login card is in its shadow root.
    const host = root.querySelector('customer-portal')?.shadowRoot ?? root;
    const card = host.querySelector('portal-login')!.shadowRoot!.querySelector('.card')!;
    const background = getComputedStyle(root).backgroundColor;
    const transparent = background === 'transparent' || /rgba\(.*,\s*0\)$/.test(background);
    const [r, c] = [root.getBoundingClientRect(), card.getBoundingClientRect()];
    return !transparent && r.width > c.width + 1 ? `${background} ${r.width}px wide around a ${c.width}px card` : null;
  });
}

const logoCount = (page: Page): Promise<number> => page.locator('portal-login').getByRole('img').count();

describe('screenshots of the demo site', () => {
  for (const { slug, path, who } of [
    { slug: 'acme-plumbing', path: ACME, who: ALEX },
    { slug: 'bright-electric', path: BRIGHT, who: SAM },
  ]) {
    test(`${slug}: logged out, with an error, logged in, and on a phone`, async () => {
      const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const { page, errors } = await newPage(context);
        await page.goto(e2e.server.url + path);
        await expectSignedOut(page);
        await page.locator('portal-root[scheme]').waitFor({ state: 'attached' });
        assert.equal(await logoCount(page), 1, "the provider's logo is in the login card");
        assert.deepEqual(await brokenImages(page), []);
        assert.equal(await slabBesideCard(page), null);
        await shoot(page, `${slug}-logged-out.png`);

        await submitLogin(page, { email: who.email, password: 'wrong-password' });
        assert.match(await loginError(page), /email or password/i);
        await shoot(page, `${slug}-login-error.png`);

        await page.reload();
        await submitLogin(page, who);
        await expectSignedIn(page, who);
        assert.deepEqual(await brokenImages(page), []);
        await shoot(page, `${slug}-logged-in.png`);
        assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);

        const phone = await e2e.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
        try {
          const small = await newPage(phone);
          await small.page.goto(e2e.server.url + path);
          await expectSignedOut(small.page);
          await small.page.locator('portal-root[scheme]').waitFor({ state: 'attached' });
          const overflow = await small.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px too wide)`);
          await shoot(small.page, `${slug}-phone-logged-out.png`);
        } finally {
          await phone.close();
        }
      } finally {
        await context.close();
      }
    });
  }

  // The portal as a customer uses it, for before/after comparison (test/e2e/before-screenshots.mts
  // makes the "before" set from an older build): the jobs list, a job, and a quote, on a desktop
  // (in the provider's time zone) and on a phone (elsewhere, so both clocks show).
  for (const { slug, path, who, zone } of [
    { slug: 'acme-plumbing', path: ACME, who: ALEX, zone: 'Australia/Sydney' },
    { slug: 'bright-electric', path: BRIGHT, who: SAM, zone: 'Australia/Melbourne' },
  ]) {
    for (const device of [
      { name: 'desktop', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, timezoneId: zone },
      { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, timezoneId: 'Europe/London' },
    ]) {
      test(`${slug}: after, on a ${device.name}: jobs, a job, a quote`, async () => {
        const { name, ...options } = device;
        const context = await e2e.browser.newContext(options);
        try {
          const { page, errors } = await newPage(context);
          await page.goto(e2e.server.url + path);
          await submitLogin(page, who);
          await expectSignedIn(page, who);
          await page.locator('job-list button.open').first().waitFor();
          await shoot(page, `after-${slug}-${name}-jobs.png`);
          await page.locator('job-list button.open').first().click();
          await page.locator('job-detail ol.timeline').waitFor();
          await shoot(page, `after-${slug}-${name}-job.png`);
          await page.getByRole('tab', { name: 'Quotes' }).click();
          await page.locator('quote-list button.item').first().click();
          await page.locator('quote-list .lines').waitFor();
          await shoot(page, `after-${slug}-${name}-quote.png`);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }
  }

  test('the demo chooser', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, errors } = await newPage(context);
      await page.goto(e2e.server.url + '/');
      await page.getByRole('link', { name: 'Acme Plumbing', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Bright Electric' }).waitFor();
      await shoot(page, 'index.png');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
