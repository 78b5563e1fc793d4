/**
 * The demo pages are served with a strict Content-Security-Policy, as a careful provider's site
 * would be: the widget must load, theme itself and log in without a single violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ACME, ALEX, BRIGHT, SAM, demoUrl, expectSignedIn, newPage, startE2E, submitLogin, type E2E } from './helpers.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(async () => {
  await e2e?.close();
});

declare global {
  interface Window {
    __cspViolations: { directive: string; blocked: string; source: string; sample: string }[];
  }
}

/** Runs before any script of the page, so even a violation during parsing is caught. */
function recordViolations(): void {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({
      directive: e.effectiveDirective,
      blocked: e.blockedURI,
      source: `${e.sourceFile}:${e.lineNumber}`,
      sample: e.sample,
    });
  });
}

const violations = (page: Page) => page.evaluate(() => window.__cspViolations);

describe('strict Content-Security-Policy', () => {
  for (const { name, origin, path, who } of [
    { name: 'Acme Plumbing', origin: () => e2e.server.url, path: ACME, who: ALEX },
    { name: 'Bright Electric', origin: () => e2e.server.url, path: BRIGHT, who: SAM },
    { name: 'Acme Plumbing on the second origin', origin: () => demoUrl(e2e.server), path: ACME, who: ALEX },
  ]) {
    test(`${name}: no violation and no console error while loading, logging in and out`, async () => {
      const context = await e2e.browser.newContext();
      try {
        const { page, errors } = await newPage(context);
        await page.addInitScript(recordViolations);
        const response = await page.goto(origin() + path);
        const policy = response?.headers()['content-security-policy'] ?? '';
        const directives = policy.split(';').map((d) => d.trim());
        assert.ok(directives.includes("script-src 'self'"), policy);
        assert.ok(directives.includes("style-src 'self'"), policy);
        assert.ok(!/unsafe-inline|unsafe-eval/.test(policy), policy);

        await submitLogin(page, who);
        await expectSignedIn(page, who);
        // The theme is applied (through the CSSOM, which the policy allows).
        assert.notEqual(
          await page.locator('portal-root').evaluate((el) => getComputedStyle(el).getPropertyValue('--portal-radius').trim()),
          '6px',
          "the provider's radius replaced the default",
        );
        await page.reload();
        await expectSignedIn(page, who);
        await page.getByRole('button', { name: 'Log out', exact: true }).click();
        await page.getByRole('button', { name: 'Log in' }).waitFor();

        assert.deepEqual(await violations(page), []);
        assert.deepEqual(errors, []);

        // The recorder itself works: an inline style is a violation under this policy.
        await page.evaluate(() => {
          const div = document.createElement('div');
          div.innerHTML = '<span style="color: red">x</span>';
          document.body.append(div);
        });
        await page.waitForFunction(() => window.__cspViolations.length > 0);
        assert.equal((await violations(page))[0]?.directive, 'style-src-attr');
      } finally {
        await context.close();
      }
    });
  }
});
