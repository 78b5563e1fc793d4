/**
 * The portal fits every width a customer uses (320, 390, 768, 1280 px): on both demo providers,
 * every tab and every detail is walked, and the test fails on a page wider than the viewport, an
 * element sticking out of the viewport (outside a container that scrolls sideways on purpose, such
 * as the tab strip), or a short word broken across two lines ("Blocke/d").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ACME, ALEX, BRIGHT, SAM, expectSignedIn, newPage, startE2E, submitLogin, type E2E } from './helpers.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(async () => {
  await e2e?.close();
});

export const WIDTHS = [320, 390, 768, 1280];

/** What does not fit, as readable lines; empty when everything fits. */
const LAYOUT_PROBE = readFileSync(join(import.meta.dirname, 'layout-probe.js'), 'utf8');

export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(LAYOUT_PROBE) as Promise<string[]>;
}

async function check(page: Page, where: string): Promise<void> {
  // 'networkidle' never comes while the live stream is open.
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  const problems = await layoutProblems(page);
  assert.deepEqual(problems, [], `${where}:\n${problems.join('\n')}`);
}

describe('the portal fits every width', () => {
  for (const { slug, path, who } of [
    { slug: 'acme-plumbing', path: ACME, who: ALEX },
    { slug: 'bright-electric', path: BRIGHT, who: SAM },
  ]) {
    test(`${slug}: every tab and detail at ${WIDTHS.join(', ')} px`, async () => {
      const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const { page, errors } = await newPage(context);
        await page.goto(e2e.server.url + path);
        await submitLogin(page, who);
        await expectSignedIn(page, who);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          const at = (what: string) => `${slug} at ${width}px, ${what}`;
          await page.getByRole('tab', { name: 'Jobs' }).click();
          await page.locator('job-list button.open').first().waitFor();
          await check(page, at('jobs'));
          await page.locator('job-list button.open').first().click();
          await page.locator('job-detail h2').waitFor();
          await check(page, at('a job'));
          await page.getByRole('button', { name: /Back to jobs/ }).click();
          await page.getByRole('tab', { name: 'Quotes' }).click();
          await page.locator('quote-list button.item').first().waitFor();
          await check(page, at('quotes'));
          await page.locator('quote-list button.item').first().click();
          await page.locator('quote-list .lines').waitFor();
          await check(page, at('a quote'));
          await page.getByRole('button', { name: /Back to quotes/ }).click();
          await page.getByRole('tab', { name: 'Equipment' }).click();
          await page.locator('equipment-list table, equipment-list [part~=empty]').first().waitFor();
          await check(page, at('equipment'));
          await page.getByRole('tab', { name: 'My details' }).click();
          await page.locator('my-details form, my-details dl').first().waitFor();
          await check(page, at('my details'));
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
