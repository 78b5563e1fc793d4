/**
 * Edges found by the attack of issue 15: malformed percent-encoding (was a 500 with a stack
 * trace), quote totals past 2^63 (a 500), the demo mailbox under a foreign Host (DNS
 * rebinding), bidi controls and invisible characters in text, and static caching.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db/index.js';
import { MAX_QUOTE_TOTAL_CENTS } from '../../server/quotes/schemas.js';
import { defaultSettings } from '../../server/settings.js';
import { mountSite } from '../../server/site.js';
import { expectError, fixtureHashes, json } from './helpers.js';
import { assertUnchanged, makeProviderWorld, papi, snapshot } from './provider-helpers.js';
import { call, makePortalWorld } from './portal-world.js';

before(fixtureHashes);

/** The app with the site mounted over a small dist and demo directory of its own. */
function siteApp() {
  const root = mkdtempSync(join(tmpdir(), 'portal-site-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'chunks'), { recursive: true });
  writeFileSync(join(dist, 'portal.js'), 'export const entry = 1;');
  writeFileSync(join(dist, 'chunks', 'lit-Bx3kQ9aZ.js'), 'export const chunk = 1;');
  const demo = join(root, 'demo');
  mkdirSync(join(demo, 'assets'), { recursive: true });
  writeFileSync(join(demo, 'index.html'), '<!doctype html><title>demo</title>');
  writeFileSync(join(demo, 'assets', 'site.css'), 'body{}');
  const app = createApp(openDatabase(':memory:'), defaultSettings({ log: () => {}, demoMailbox: true }));
  mountSite(app, { distDir: dist, demoDir: demo, apiOrigin: () => '' });
  return app;
}

describe('malformed percent-encoding', () => {
  test('400 in the JSON shape on every kind of path, never a 500 or a stack trace in the log', async () => {
    const logs: string[] = [];
    const w = await makeProviderWorld({ log: (l) => logs.push(l) });
    const app = siteApp();
    const paths = [
      '/demo/%E0%A4%A',
      '/api/portal/acme/%E0%A4%A/config',
      '/api/portal/%E0%A4%A/config',
      '/widget/%c0%ae%c0%ae/x',
      '/api/portal/acme/jobs/%ff',
      '/api/provider/v1/jobs/%E0%A4%A',
      '/api/portal/acme/jobs?q=%E0%A4%A',
      '/%',
      '/x%2',
    ];
    for (const path of paths) {
      for (const a of [w.app, app]) {
        const res = await a.request(path, { headers: { authorization: `Bearer ${w.keyA}` } });
        await expectError(res, 400, 'malformed_path');
      }
    }
    assert.ok(!logs.some((l) => /URIError|^error /.test(l)), logs.filter((l) => l.startsWith('error')).join('\n'));
    // A well-formed escape still works.
    assert.equal((await w.app.request('/api/portal/%61cme/config')).status, 200);
  });
});

describe('quote totals', () => {
  const line = (quantity: number, unitPriceCents: number) => ({ description: 'Work', quantity, unitPriceCents });

  test('lines whose total passes the bound are 400 naming lines, nothing written; the bound itself is accepted', async () => {
    const w = await makeProviderWorld();
    const before = snapshot(w.db);
    const huge = Array.from({ length: 200 }, () => line(1e6, 1e11));
    for (const lines of [huge, [line(1e6, 1e11)], [line(100_001, 1e8)]]) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, title: 'Big', lines }), 400, 'validation_failed');
      assert.match(Object.keys(error.fields ?? {}).join(','), /^lines/);
    }
    assertUnchanged(w.db, before, 'refused quotes');
    const res = await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, title: 'At the bound', lines: [line(100_000, 1e8)] });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal((await json(res)).totalCents, MAX_QUOTE_TOTAL_CENTS);
    const draft = await json(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, title: 'Draft' }));
    const send = await papi(w.app, w.keyA, 'POST', `/quotes/${draft.id}/send`, { lines: huge, validUntil: new Date(Date.now() + 86_400_000).toISOString() });
    await expectError(send, 400, 'validation_failed');
  });
});

describe('the demo mailbox', () => {
  const peer = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
  test('answers only its own host names; another Host (a rebound DNS name) gets 403', async () => {
    const app = siteApp();
    for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787', 'localhost']) {
      assert.equal((await app.request(`http://${host}/api/dev/mailbox`, {}, peer)).status, 200, host);
    }
    for (const host of ['evil.example:8787', 'localhost.evil.example', '127.0.0.1.nip.io:8787', 'attacker.test']) {
      await expectError(await app.request(`http://${host}/api/dev/mailbox`, {}, peer), 403, 'forbidden');
    }
  });
});

describe('text fields', () => {
  test('bidi overrides and isolates are refused naming the field; nothing written', async () => {
    const w = await makePortalWorld();
    const before = snapshot(w.db);
    for (const ch of ['\u202e', '\u202a', '\u202d', '\u2066', '\u2067', '\u2069']) {
      const error = await expectError(await call(w, 'colleague', 'POST', 'jobs', { title: `Invoice ${ch}fdp.exe`, address: 'x' }), 400, 'validation_failed');
      assert.match(error.fields?.title ?? '', /bidirectional/);
    }
    await expectError(await call(w, 'det:edit', 'PATCH', 'details', { contact: { name: 'Ann\u202eeb' } }), 400, 'validation_failed');
    assertUnchanged(w.db, before, 'refused text');
    const p = await makeProviderWorld();
    await expectError(await papi(p.app, p.keyA, 'POST', '/companies', { name: 'Acme\u2067 Ltd' }), 400, 'validation_failed');
  });

  test('zero-width spaces, word joiners and byte-order marks are removed; joiners that scripts and emoji need are kept', async () => {
    const w = await makePortalWorld();
    const job = await json(await call(w, 'colleague', 'POST', 'jobs', { title: 'Le\u200bak\u2060ing\ufeff tap', address: 'x', description: 'ok \u200d👩‍🔧 می\u200cخواهم' }));
    assert.equal(job.title, 'Leaking tap');
    assert.equal(job.description, 'ok \u200d👩‍🔧 می\u200cخواهم');
    // Only invisible characters: nothing is left, so a required field is refused.
    await expectError(await call(w, 'colleague', 'POST', 'jobs', { title: '\u200b\u200b', address: 'x' }), 400, 'validation_failed');
  });
});

describe('static assets', () => {
  test('hashed chunks are immutable; entry files and demo assets are revalidated with an ETag and answer 304 unchanged', async () => {
    const app = siteApp();
    const chunk = await app.request('/widget/chunks/lit-Bx3kQ9aZ.js');
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const path of ['/widget/portal.js', '/demo/site.css']) {
      const first = await app.request(path);
      assert.equal(first.status, 200, path);
      assert.equal(first.headers.get('cache-control'), 'no-cache', path);
      const etag = first.headers.get('etag');
      assert.ok(etag, `${path} has an ETag`);
      const again = await app.request(path, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
    }
    assert.equal((await app.request('/')).headers.get('cache-control'), 'no-store', 'pages are not cached');
    assert.equal((await app.request('/api/health')).headers.get('cache-control'), 'no-store', 'API answers are not cached');
  });
});
