/**
 * Getting in without anyone sending a password: invitation and password reset, followed from
 * the email to a logged-in portal in a real browser. Mail goes through a real SMTP server on
 * loopback; a second run uses the demo mailbox page, as `npm start` alone does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { linkToken, startSmtp, type Inbox } from '../server/smtp.js';
import { ACME, ROOT, TIMEOUT, collectErrors, demoUrl, expectSignedIn, expectSignedOut, startE2E, submitLogin, type E2E } from './helpers.js';

const run = promisify(execFile);

async function invite(e2e: E2E, env: Record<string, string>, who: { email: string; name: string }): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'invite', '--provider', 'acme-plumbing', '--email', who.email, '--name', who.name, '--company', 'Harbour View Apartments'],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: e2e.dataDir, ...env } },
  );
  return stdout;
}

/** On the set-password form: choose a password and submit. */
async function choosePassword(page: Page, password: string): Promise<void> {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the new password').fill(password);
  await page.getByRole('button', { name: 'Set password and log in' }).click();
}

describe('with SMTP: invitation and reset links from real email', () => {
  let e2e: E2E;
  let inbox: Inbox;
  before(async () => {
    inbox = await startSmtp();
    e2e = await startE2E({ smtpUrl: inbox.url });
  });
  after(async () => {
    await e2e?.close();
    await inbox?.close();
  });

  test('an invited contact follows the emailed link, sets a password and is logged in', async () => {
    const who = { email: 'robin@example.com', name: 'Robin Invited', company: 'Harbour View Apartments' };
    const out = await invite(e2e, { SMTP_URL: inbox.url }, who);
    assert.match(out, /Invitation sent to robin@example.com/);
    const mail = await inbox.next(who.email, TIMEOUT);
    const url = /https?:\/\/\S+#portal-invite=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
    assert.ok(url?.startsWith(`${e2e.server.url}${ACME}#portal-invite=`), `the link opens the provider's portal page: ${url}`);

    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    const response = await page.goto(url!);
    assert.equal(response?.headers()['referrer-policy'], 'no-referrer', 'the page that holds the link leaks no referrer');
    await page.getByRole('heading', { name: `Welcome, ${who.name}` }).waitFor({ timeout: TIMEOUT });
    await page.getByText(who.email).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');

    await choosePassword(page, 'short');
    await page.getByText('Use at least 10 characters.').waitFor();
    await choosePassword(page, 'qwertyuiop');
    await page.getByText(/most common passwords/).first().waitFor({ timeout: TIMEOUT });
    await choosePassword(page, 'a garden of teal tulips');
    await expectSignedIn(page, who);
    await page.reload();
    await expectSignedIn(page, who);

    // The link is spent.
    await page.goto(url!);
    await page.getByText('This link has already been used. Ask for a new one.').waitFor({ timeout: TIMEOUT });
    // The refusals above (weak password, spent link) are answers the page showed, not errors.
    assert.deepEqual(errors.filter((e) => !/password\/(?:set|link)\b.*|status of (?:400|410)/.test(e)), []);
    await context.close();
  });

  test('forgot password: the reset link sets a new password, ends the old session and is announced by email', async () => {
    const casey = { email: 'casey@example.com', password: 'portal-demo-4', name: 'Casey Brown', company: 'Elm Street Residence' };
    // A session elsewhere (another browser profile), which the reset must end.
    const other = await e2e.browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(e2e.server.url + ACME);
    await submitLogin(otherPage, casey);
    await expectSignedIn(otherPage, casey);

    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(e2e.server.url + ACME);
    await expectSignedOut(page);
    await page.getByLabel('Email').fill(casey.email);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), casey.email, 'the typed address is carried over');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'we have sent it a link' }).waitFor({ timeout: TIMEOUT });

    const mail = await inbox.next(casey.email, TIMEOUT);
    const token = linkToken(mail, 'reset');
    await page.goto(`${e2e.server.url}${ACME}#portal-reset=${token}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor({ timeout: TIMEOUT });
    await choosePassword(page, 'new pipes every spring');
    await expectSignedIn(page, casey);
    assert.match((await inbox.next(casey.email, TIMEOUT)).subject ?? '', /password was changed/);

    await otherPage.reload();
    await expectSignedOut(otherPage);
    await submitLogin(otherPage, casey);
    await otherPage.getByText('The email or password is not right.').waitFor();
    await submitLogin(otherPage, { email: casey.email, password: 'new pipes every spring' });
    await expectSignedIn(otherPage, casey);
    await other.close();
    await context.close();
  });
});

describe('without SMTP (npm start): the demo mailbox', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  test('invite from the command line, open the mailbox, follow the link, set a password, log in', async () => {
    const who = { email: 'sky@example.com', name: 'Sky Mailbox', company: 'Harbour View Apartments' };
    const env = { SMTP_URL: '' };
    const out = await invite(e2e, env, who);
    assert.match(out, /demo mailbox/);

    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${e2e.server.url}/mailbox.html`);
    const message = page.getByRole('listitem').filter({ hasText: `To ${who.email}` });
    await message.getByRole('heading', { name: /invitation/ }).waitFor({ timeout: TIMEOUT });
    await message.getByRole('link', { name: /#portal-invite=/ }).click();
    await page.getByRole('heading', { name: `Welcome, ${who.name}` }).waitFor({ timeout: TIMEOUT });
    await choosePassword(page, 'the mailbox path works');
    await expectSignedIn(page, who);

    // The same page on the demo's second origin (which has no API) points to the API's mailbox, asking nothing there.
    const asked: string[] = [];
    page.on('request', (r) => void asked.push(new URL(r.url()).pathname));
    await page.goto(`${demoUrl(e2e.server)}/mailbox.html`);
    const link = page.getByRole('status').getByRole('link');
    assert.equal(await link.getAttribute('href'), `${e2e.server.url}/mailbox.html`);
    assert.equal(asked.filter((p) => p.startsWith('/api/')).length, 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
