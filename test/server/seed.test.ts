/** The demo seed: both demo providers, and their logins work at their own provider only. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DEMO_PROVIDERS, hasDemoData, seedDemo } from '../../demo/seed.js';
import { createApp } from '../../server/app.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { defaultSettings } from '../../server/settings.js';
import { countSessions, expectError, json, login, type App } from './helpers.js';

const ORIGIN = 'http://localhost:8787';
let db: Db;
let app: App;

// Seeding hashes four passwords: once for the file. Each test only logs in.
before(async () => {
  db = openDatabase(':memory:');
  assert.equal(hasDemoData(db), false);
  await seedDemo(db, [ORIGIN]);
  app = createApp(db, defaultSettings({ log: () => {} }));
});

describe('demo seed', () => {
  test('creates both demo providers with their own look and the given origins', () => {
    assert.equal(hasDemoData(db), true);
    assert.deepEqual([...DEMO_PROVIDERS], ['acme-plumbing', 'bright-electric']);
    const acme = getProviderBySlug(db, 'acme-plumbing');
    const bright = getProviderBySlug(db, 'bright-electric');
    assert.ok(acme && bright);
    assert.equal(acme.name, 'Acme Plumbing');
    assert.equal(bright.name, 'Bright Electric');
    assert.ok(acme.allowedOrigins.includes(ORIGIN));
    assert.ok(bright.allowedOrigins.includes(ORIGIN));
    assert.notDeepEqual(acme.theme, bright.theme);
    assert.equal(acme.theme.colorScheme, 'light');
    assert.equal(bright.theme.colorScheme, 'dark');
  });

  test('alex@example.com / portal-demo-1 logs in at acme-plumbing', async () => {
    const res = await login(app, 'acme-plumbing', 'alex@example.com', 'portal-demo-1', { Origin: ORIGIN });
    assert.equal(res.status, 201);
    const { me } = await json(res);
    assert.equal(me.contact.email, 'alex@example.com');
    assert.equal(me.provider.slug, 'acme-plumbing');
    assert.equal(me.company.name, 'Harbour View Apartments');
  });

  test('sam@example.com / portal-demo-2 logs in at bright-electric', async () => {
    const res = await login(app, 'bright-electric', 'sam@example.com', 'portal-demo-2', { Origin: ORIGIN });
    assert.equal(res.status, 201);
    const { me } = await json(res);
    assert.equal(me.contact.email, 'sam@example.com');
    assert.equal(me.provider.slug, 'bright-electric');
    assert.equal(me.company.name, 'Old Mill Offices');
  });

  test('neither logs in at the other provider', async () => {
    const sessions = countSessions(db);
    await expectError(await login(app, 'bright-electric', 'alex@example.com', 'portal-demo-1'), 401, 'invalid_credentials');
    await expectError(await login(app, 'acme-plumbing', 'sam@example.com', 'portal-demo-2'), 401, 'invalid_credentials');
    assert.equal(countSessions(db), sessions);
  });

  test('the other demo contacts of acme-plumbing log in with their passwords', async () => {
    for (const [email, password] of [
      ['jordan@example.com', 'portal-demo-3'],
      ['casey@example.com', 'portal-demo-4'],
    ] as const) {
      assert.equal((await login(app, 'acme-plumbing', email, password)).status, 201, email);
    }
  });
});
