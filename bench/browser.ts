/**
 * The Chromium part of `npm run bench`, against the 100,000-job data set and the built widget
 * (dist/): from the click on "Log in" to the first job rows painted, and from a search sent
 * (Enter in the search box, so the typing pause is not counted) to the filtered rows painted,
 * p50 and p95 over 20 runs each, with the server's share (its requests' time, from Resource
 * Timing) beside them; and one in-place update of a row with 1,000 rows shown. Times are taken
 * in the page (performance.now() to the frame after the rows are in the DOM).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Page } from 'playwright-core';
import { createApp } from '../server/app.js';
import { openDatabase } from '../server/db/index.js';
import { defaultSettings } from '../server/settings.js';
import { mountSite } from '../server/site.js';
import { chromiumArgs, chromiumPath } from '../test/chromium.mjs';
import { loadLargeData } from './large-data.js';

const RUNS = 20;
const ROWS = 1000;

export interface Timing {
  p50: number;
  p95: number;
  serverP50: number;
}
export interface BrowserBench {
  login: Timing;
  search: Timing;
  /** One row changed in place with ROWS rows shown: p50 and p95 over RUNS updates. */
  update: { rows: number; p50: number; p95: number };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const timing = (total: number[], server: number[]): Timing => ({ p50: pct(total, 50), p95: pct(total, 95), serverP50: pct(server, 50) });

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="/widget/portal.js"></script></head><body>
<portal-root provider="bench-co" api="{{api}}"><portal-login></portal-login><job-list page-size="100"></job-list></portal-root>
</body></html>`;

// In-page code as text: tsx would add its own helpers to a function passed to page.evaluate.
const IN_PAGE = `async (act, done) => {
  const list = document.querySelector('job-list');
  const $ = (s) => list.shadowRoot?.querySelector(s) ?? null;
  const $$ = (s) => Array.from(list.shadowRoot?.querySelectorAll(s) ?? []);
  const run = new Function('list', '$', '$$', act);
  const test = new Function('list', '$', '$$', 'return ' + done);
  performance.clearResourceTimings();
  const t0 = performance.now();
  run(list, $, $$);
  await new Promise((ok) => {
    const check = () => (test(list, $, $$) ? requestAnimationFrame(() => ok()) : requestAnimationFrame(check));
    check();
  });
  const total = performance.now() - t0;
  const server = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/portal/')).reduce((n, r) => n + (r.responseEnd - r.requestStart), 0);
  return { total, server };
}`;

/** In the page: the time from `act` to the frame after `done` holds, and the API time in between. */
function measure(page: Page, act: string, done: string): Promise<{ total: number; server: number }> {
  return page.evaluate(`(${IN_PAGE})(${JSON.stringify(act)}, ${JSON.stringify(done)})`);
}

export async function browserBench(): Promise<BrowserBench | string> {
  const dist = resolve('dist');
  if (!existsSync(join(dist, 'portal.js'))) return 'skipped: no dist/ (run npm run build first)';
  const dir = mkdtempSync(join(tmpdir(), 'portal-browser-bench-'));
  const db = openDatabase(join(dir, 'portal.db'));
  const data = await loadLargeData(db);
  const app = createApp(db, defaultSettings({ log: () => {} }));
  writeFileSync(join(dir, 'bench.html'), PAGE);
  mountSite(app as never, { distDir: dist, demoDir: dir, apiOrigin: () => '' });
  const server = await new Promise<{ close(): void; url: string }>((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ close: () => s.close(), url: `http://127.0.0.1:${info.port}` }));
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const login = { total: [] as number[], server: [] as number[] };
    const search = { total: [] as number[], server: [] as number[] };
    const update: number[] = [];
    const words = ['leak', 'drain', 'tap', 'boiler', 'pipe', 'valve', 'storm', 'sewer', 'toilet', 'radiator'];
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each run: nothing cached, no session. (CSP bypassed for the measuring code only.)
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${server.url}/bench.html`);
      await page.getByLabel('Email').fill(data.email);
      await page.getByLabel('Password').fill(data.password);
      const l = await measure(
        page,
        `document.querySelector('portal-login').shadowRoot.querySelector('button[type=submit]').click()`,
        `$$('li[part~="row"]').length > 0`,
      );
      login.total.push(l.total);
      login.server.push(l.server);
      await page.locator('job-list:not([busy])').waitFor();

      const word = words[run % words.length]!;
      const s = await measure(
        page,
        `const box = $('input[type=search]'); box.value = '${word}'; box.dispatchEvent(new Event('input')); box.form.requestSubmit()`,
        `!list.hasAttribute('busy') && $$('li[part~="row"]').length > 0 && $$('li[part~="row"]').every((r) => r.textContent.toLowerCase().includes('${word}'))`,
      );
      search.total.push(s.total);
      search.server.push(s.server);
      await context.close();
    }

    // 1,000 rows shown ("Load more" until there), then rows changed in place one at a time.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/bench.html`);
    await page.getByLabel('Email').fill(data.email);
    await page.getByLabel('Password').fill(data.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const rows = page.locator('job-list li[part~="row"]');
    await rows.first().waitFor();
    for (let clicks = 0; (await rows.count()) < ROWS && clicks < 2 * (ROWS / 100); clicks++) {
      const before = await rows.count();
      await page.locator('job-list').getByRole('button', { name: /Load more/ }).click();
      await page.waitForFunction(`document.querySelector('job-list').shadowRoot.querySelectorAll('li[part~="row"]').length > ${before}`);
    }
    for (let i = 0; i < RUNS; i++) {
      // What an in-place update does: the one item replaced in the list controller's items.
      const u = await measure(
        page,
        `const items = list.list.items; const at = ${i * 37} % items.length; window.__title = 'Updated in place ${i}'; list.list.replace(items.map((it, n) => (n === at ? { ...it, title: window.__title } : it)))`,
        `$$('li[part~="row"]').some((r) => r.textContent.includes(window.__title))`,
      );
      update.push(u.total);
    }
    const shown = await rows.count();
    await context.close();
    return { login: timing(login.total, login.server), search: timing(search.total, search.server), update: { rows: shown, p50: pct(update, 50), p95: pct(update, 95) } };
  } finally {
    await browser.close();
    server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBrowserBench(r: BrowserBench | string): void {
  console.log('\nChromium, 100,000-job data set, built widget (p50 / p95 over 20 runs; server = its requests\' time, p50):');
  if (typeof r === 'string') return void console.log(`  ${r}`);
  const row = (name: string, t: Timing, goal: number) =>
    console.log(
      `  ${name.padEnd(40)} ${t.p50.toFixed(0).padStart(5)} / ${t.p95.toFixed(0).padStart(5)} ms   server ${t.serverP50.toFixed(0).padStart(4)} ms   client ${(t.p50 - t.serverP50).toFixed(0).padStart(4)} ms   goal p95 <= ${goal} ms: ${t.p95 <= goal ? 'MET' : 'NOT MET'}`,
    );
  row('click "Log in" → first job rows painted', r.login, 300);
  row('search sent (Enter) → filtered rows', r.search, 150);
  console.log(`  one row updated in place, ${r.update.rows} rows shown:   ${r.update.p50.toFixed(1)} / ${r.update.p95.toFixed(1)} ms`);
}
