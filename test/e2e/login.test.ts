/** Logging in and out on the two demo provider sites, in a real browser. */
import assert from 'node:assert/strict';
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
  sessionCount,
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

async function open(path: string): Promise<{ page: Page; errors: string[]; done: () => Promise<void> }> {
  const context = await e2e.browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(e2e.server.url + path);
  return { page, errors, done: () => context.close() };
}

/** Log in, reload (sessionStorage keeps the session), log out, reload (still out). */
async function loginLogoutRoundTrip(path: string, who: typeof ALEX): Promise<void> {
  const { page, errors, done } = await open(path);
  try {
    await expectSignedOut(page);
    const request = await submitLogin(page, who);
    assert.equal((await request.response())?.status(), 201, 'the login request succeeds');
    await expectSignedIn(page, who);
    assert.deepEqual(
      await page.evaluate(() => ({
        tab: Object.keys(sessionStorage).filter((k) => k.startsWith('portal-session')).length,
        local: localStorage.length,
      })),
      { tab: 1, local: 0 },
      'the token is kept in sessionStorage (and not in localStorage)',
    );

    await page.reload();
    await expectSignedIn(page, who);

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await expectSignedOut(page);
    assert.equal(
      await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('portal-session')).length),
      0,
      'logging out forgets the token in this tab',
    );

    await page.reload();
    await expectSignedOut(page);
    assert.deepEqual(errors, []);
  } finally {
    await done();
  }
}

/** Custom properties and attributes of portal-root, once the provider's theme has been applied. */
async function themeOf(page: Page): Promise<{ scheme: string | null; brand: string; surface: string; font: string }> {
  await page.locator('portal-root[scheme]').waitFor({ state: 'attached' });
  return page.evaluate(() => {
    const root = document.querySelector('portal-root')!;
    const style = getComputedStyle(root);
    return {
      scheme: root.getAttribute('scheme'),
      brand: style.getPropertyValue('--portal-color-brand').trim(),
      surface: style.getPropertyValue('--portal-color-surface').trim(),
      font: style.getPropertyValue('--portal-font-family').trim(),
    };
  });
}

describe('log in and out on the demo sites', () => {
  test('Acme Plumbing: Alex logs in, stays logged in across a reload, logs out, stays logged out', async () => {
    await loginLogoutRoundTrip(ACME, ALEX);
  });

  test('Bright Electric: Sam logs in and out the same way, in a dark theme of its own', async () => {
    await loginLogoutRoundTrip(BRIGHT, SAM);

    const acme = await open(ACME);
    const bright = await open(BRIGHT);
    try {
      const acmeTheme = await themeOf(acme.page);
      const brightTheme = await themeOf(bright.page);
      assert.equal(acmeTheme.scheme, 'light');
      assert.equal(brightTheme.scheme, 'dark');
      assert.equal(acmeTheme.brand.toLowerCase(), '#0b5cab', "Acme's brand colour from its server-side theme");
      assert.equal(brightTheme.brand.toLowerCase(), '#ffc629', "Bright Electric's brand colour from its server-side theme");
      assert.notEqual(acmeTheme.brand, brightTheme.brand);
      assert.notEqual(acmeTheme.surface, brightTheme.surface, 'the dark scheme changes the surface colour');
      assert.notEqual(acmeTheme.font, brightTheme.font);

      // The brand colour reaches what the customer sees: the Log in button.
      const buttonBackground = (page: Page) =>
        page.getByRole('button', { name: 'Log in' }).evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(await buttonBackground(acme.page), 'rgb(11, 92, 171)');
      assert.equal(await buttonBackground(bright.page), 'rgb(255, 198, 41)');
    } finally {
      await acme.done();
      await bright.done();
    }
  });

  test('a wrong password and an unknown email get the same message', async () => {
    const messages: string[] = [];
    for (const attempt of [
      { email: ALEX.email, password: 'not-the-password' },
      { email: 'nobody@example.com', password: 'not-the-password' },
    ]) {
      const { page, errors, done } = await open(ACME);
      try {
        const request = await submitLogin(page, attempt);
        assert.equal((await request.response())?.status(), 401);
        messages.push(await loginError(page));
        await expectSignedOut(page);
        // The failed login is an expected 401, which Chromium reports as a failed resource load.
        assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
      } finally {
        await done();
      }
    }
    assert.ok(messages[0], 'a message is shown');
    assert.equal(messages[0], messages[1]);
    assert.match(messages[0]!, /email or password/i);
  });

  test("a customer of one provider cannot log in on another provider's site", async () => {
    const sessionsBefore = sessionCount(e2e.server);
    for (const [path, who] of [
      [BRIGHT, ALEX],
      [ACME, SAM],
    ] as const) {
      const { page, done } = await open(path);
      try {
        const request = await submitLogin(page, who);
        assert.equal((await request.response())?.status(), 401);
        assert.match(await loginError(page), /email or password/i);
        await expectSignedOut(page);
        await page.reload();
        await expectSignedOut(page);
      } finally {
        await done();
      }
    }
    assert.equal(sessionCount(e2e.server), sessionsBefore, 'no session was created');
  });
});

describe('remember me', () => {
  test('with "Remember me" a new tab of the same browser is still logged in, until logout', async () => {
    const context = await e2e.browser.newContext();
    try {
      const first = await newPage(context);
      await first.page.goto(e2e.server.url + ACME);
      await submitLogin(first.page, ALEX, { remember: true });
      await expectSignedIn(first.page, ALEX);

      // A new tab starts with an empty sessionStorage: only the remembered token can log it in.
      const second = await newPage(context);
      await second.page.goto(e2e.server.url + ACME);
      assert.equal(await second.page.evaluate(() => sessionStorage.length), 0);
      await expectSignedIn(second.page, ALEX);

      // The same tab with its sessionStorage cleared, too.
      await first.page.evaluate(() => sessionStorage.clear());
      await first.page.reload();
      await expectSignedIn(first.page, ALEX);

      // Logging out forgets the remembered token: a third tab is logged out.
      await second.page.getByRole('button', { name: 'Log out', exact: true }).click();
      await expectSignedOut(second.page);
      const third = await newPage(context);
      await third.page.goto(e2e.server.url + ACME);
      await expectSignedOut(third.page);

      assert.deepEqual([...first.errors, ...second.errors, ...third.errors], []);
    } finally {
      await context.close();
    }
  });

  test('without "Remember me" a new tab is logged out, while the first tab stays logged in', async () => {
    const context = await e2e.browser.newContext();
    try {
      const first = await newPage(context);
      await first.page.goto(e2e.server.url + ACME);
      await submitLogin(first.page, ALEX);
      await expectSignedIn(first.page, ALEX);

      const second = await newPage(context);
      await second.page.goto(e2e.server.url + ACME);
      await expectSignedOut(second.page);

      await first.page.reload();
      await expectSignedIn(first.page, ALEX);
      assert.deepEqual([...first.errors, ...second.errors], []);
    } finally {
      await context.close();
    }
  });
});
