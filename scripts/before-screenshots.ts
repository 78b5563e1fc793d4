/**
 * `tsx scripts/before-screenshots.ts <commit>`: the "before" half of the before/after screenshots.
 * Builds <commit> in a temporary git worktree, runs its demo, and shoots the same views as
 * test/e2e/screenshots.test.ts's "after" set (jobs, a job, a quote; desktop and phone; both demo
 * providers) into .test-output/screenshots/before-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../test/chromium.mjs';

const commit = process.argv[2];
if (!commit) throw new Error('usage: tsx scripts/before-screenshots.ts <commit>');
const root = resolve(import.meta.dirname, '..');
const out = join(root, '.test-output', 'screenshots');
mkdirSync(out, { recursive: true });
const tree = mkdtempSync(join(tmpdir(), 'portal-before-'));
const dataDir = mkdtempSync(join(tmpdir(), 'portal-before-data-'));
const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'inherit' });

git('worktree', 'add', '--detach', tree, commit);
try {
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  execFileSync('npx', ['rollup', '-c', '--silent'], { cwd: tree, stdio: 'inherit' });
  const { startDemo } = (await import(pathToFileURL(join(tree, 'demo', 'start.ts')).href)) as typeof import('../demo/start.js');
  const server = await startDemo({ dataDir, port: 0, demoPort: null, settings: { log: () => {} } });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    for (const [slug, email, password] of [['acme-plumbing', 'alex@example.com', 'portal-demo-1'], ['bright-electric', 'sam@example.com', 'portal-demo-2']] as const) {
      for (const [device, viewport, deviceScaleFactor] of [['desktop', { width: 1280, height: 900 }, 1], ['phone', { width: 390, height: 844 }, 2]] as const) {
        const context = await browser.newContext({ viewport, deviceScaleFactor });
        const page = await context.newPage();
        const shoot = async (what: string) => {
          await page.waitForLoadState('networkidle');
          await page.screenshot({ path: join(out, `before-${slug}-${device}-${what}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
        };
        await page.goto(`${server.url}/${slug}.html`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.locator('job-list button.open').first().waitFor();
        await shoot('jobs');
        await page.locator('job-list button.open').first().click();
        await page.locator('job-detail ol.timeline').waitFor();
        await shoot('job');
        await page.getByRole('tab', { name: 'Quotes' }).click();
        await page.locator('quote-list button.item').first().click();
        await page.locator('quote-list .lines').waitFor();
        await shoot('quote');
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  git('worktree', 'remove', '--force', tree);
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`before-*.png in ${out}`);
