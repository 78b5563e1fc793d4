// Element tests in Debian's Chromium, against the real API (a fresh SQLite database with the
// demo data) served on the test page's own origin.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { createApp } from '../server/app.ts';
import { openDatabase } from '../server/db/index.ts';
import { defaultSettings } from '../server/settings.ts';
import { seedDemo } from '../demo/seed.ts';
import { seedElementFixtures } from './elements/fixtures.ts';
import { seedPhotoFixtures } from './elements/fixtures-photos.ts';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const dir = mkdtempSync(join(tmpdir(), 'portal-wtr-'));
const db = openDatabase(join(dir, 'portal.db'));
await seedDemo(db, []);
await seedElementFixtures(db);
// Every element test logs in (and writes, as the same few contacts) from the same address; the
// per-IP, per-address and write limits are the server tests' subject. The demo mailbox serves the
// SMS codes that alert-settings tests type in (no SMS gateway here).
const settings = defaultSettings({ log: () => {}, demoMailbox: true, filesDir: join(dir, 'files') });
settings.loginLimits.perIp = { limit: 10_000, windowMs: 60_000 };
settings.addressLimit = { limit: 100_000, windowMs: 60_000 };
settings.writeLimits = { perContact: { limit: 100_000, windowMs: 60_000 }, perProvider: { limit: 100_000, windowMs: 60_000 } };
const app = createApp(db, settings);
await seedPhotoFixtures(db, app.deps.files);
const api = getRequestListener(app.fetch);

/**
 * `executeServerCommand('throttle-upload', { bytesPerSecond })`: Chromium's own network
 * throttling (DevTools protocol) for the page's uploads, so an upload on loopback lasts long
 * enough for the browser to report its progress several times; -1 lifts it.
 */
function throttleUpload() {
  return {
    name: 'throttle-upload',
    async executeCommand({ command, payload, session }) {
      if (command !== 'throttle-upload') return undefined;
      const cdp = await session.browser.getPage(session.id).createCDPSession();
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: payload.bytesPerSecond });
      return true;
    },
  };
}


/** `import text from 'x.css'` as rollup.config.mjs does it: the CSS as a string module. */
function cssText() {
  return {
    name: 'css-text',
    resolveMimeType: (context) => (context.path.endsWith('.css') ? 'js' : undefined),
    transform(context) {
      if (context.path.endsWith('.css')) return { body: `export default ${JSON.stringify(context.body)};` };
    },
  };
}

/** Writes pass/fail counts for scripts/test.mjs. */
function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const t of suite.tests) t.passed ? passed++ : t.skipped ? null : failed++;
        for (const s of suite.suites) walk(s);
      };
      for (const s of sessions) {
        if (s.testResults) walk(s.testResults);
        // A file that failed to load or threw outside a test counts as a failure too.
        if (!s.passed && (s.errors?.length || !s.testResults)) failed++;
      }
      if (process.env.WTR_COUNTS) writeFileSync(process.env.WTR_COUNTS, JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  files: 'test/elements/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
    }),
  ],
  plugins: [cssText(), esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }), throttleUpload()],
  middleware: [
    async (ctx, next) => {
      if (!ctx.path.startsWith('/api/')) return next();
      ctx.respond = false;
      await api(ctx.req, ctx.res);
    },
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
};
