/**
 * End-to-end harness: the real server (fresh data directory, demo data, the demo site on two
 * origins) and Debian's Chromium driven by playwright-core.
 */
import { chromiumArgs, chromiumPath } from '../chromium.mjs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Locator, type Page, type Request } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/start.js';
import type { Settings } from '../../server/settings.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, '.test-output', 'screenshots');

export const ALEX = { email: 'alex@example.com', password: 'portal-demo-1', name: 'Alex Morgan', company: 'Harbour View Apartments' };
export const SAM = { email: 'sam@example.com', password: 'portal-demo-2', name: 'Sam Patel', company: 'Old Mill Offices' };
export const ACME = '/acme-plumbing.html';
export const BRIGHT = '/bright-electric.html';

/** Long enough for a slow CI box; an argon2 verification is the slowest step. */
export const TIMEOUT = 15_000;

export interface E2E {
  server: RunningDemo;
  browser: Browser;
  /** The server's DATA_DIR, for the admin CLI. */
  dataDir: string;
  close(): Promise<void>;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

export async function startE2E(settings: Partial<Settings> = {}): Promise<E2E> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-e2e-'));
  const server = await startDemo({ dataDir, port: 0, demoPort: 0, settings: { log: () => {}, ...settings } });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    browser,
    dataDir,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function demoUrl(server: RunningDemo): string {
  if (!server.siteUrl) throw new Error('the server was started without the second demo origin');
  return server.siteUrl;
}

/** Console errors and uncaught page errors, collected from the moment the page is created. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export interface Tracked {
  page: Page;
  errors: string[];
}

export async function newPage(context: BrowserContext): Promise<Tracked> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return { page, errors: collectErrors(page) };
}

export const loginElement = (page: Page): Locator => page.locator('portal-login');

/** The portal has finished restoring (or not) the session and shows the form. */
export async function expectSignedOut(page: Page): Promise<void> {
  await page.locator('portal-login[status="signed-out"]').waitFor({ state: 'attached' });
  await page.getByLabel('Email').waitFor({ state: 'visible' });
  await page.getByLabel('Password').waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Log in' }).waitFor({ state: 'visible' });
  if ((await page.getByText(/Logged in as/).count()) !== 0) throw new Error('"Logged in as" shown while signed out');
}

export async function expectSignedIn(page: Page, who: { name: string; company: string }): Promise<void> {
  await page.locator('portal-login[status="signed-in"]').waitFor({ state: 'attached' });
  await page.getByText(`Logged in as ${who.name}`).waitFor({ state: 'visible' });
  await page.getByText(who.company).waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor({ state: 'visible' });
  if ((await page.getByLabel('Password').count()) !== 0) throw new Error('the password field is shown while signed in');
}

/** The next login request (POST …/session) of the page, once it has finished or failed. */
export function nextLoginRequest(page: Page, timeout = TIMEOUT): Promise<Request> {
  return new Promise((ok, fail) => {
    const done = (request: Request): void => {
      if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/session')) return;
      stop();
      ok(request);
    };
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`no login request finished within ${timeout} ms`));
    }, timeout);
    const stop = (): void => {
      clearTimeout(timer);
      page.off('requestfinished', done);
      page.off('requestfailed', done);
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  });
}

/**
 * Fills in the form and submits it. Resolves with the login request once it has been answered
 * (or has failed) and the form is no longer busy.
 */
export async function submitLogin(
  page: Page,
  credentials: { email: string; password: string },
  options: { remember?: boolean } = {},
): Promise<Request> {
  await expectSignedOut(page);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  if (options.remember) await page.getByLabel('Remember me on this device').check();
  const request = nextLoginRequest(page);
  await page.getByRole('button', { name: 'Log in' }).click();
  const finished = await request;
  await page.locator('portal-login:not([busy])').waitFor({ state: 'attached' });
  return finished;
}

/** The visible error message of the login form. */
export async function loginError(page: Page): Promise<string> {
  const alert = page.locator('portal-login').getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  return (await alert.innerText()).trim();
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

export function sessionCount(server: RunningDemo): number {
  return (server.db.prepare('select count(*) n from sessions').get() as { n: number }).n;
}
