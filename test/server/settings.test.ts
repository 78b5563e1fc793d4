/** The environment is read once, with a schema: a bad value stops start-up and names the variable. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EnvError, readEnv, settingsFromEnv } from '../../server/settings.js';

describe('environment', () => {
  test('defaults when nothing is set; empty counts as unset', () => {
    const env = readEnv({ PORT: '', SMTP_URL: '' });
    assert.equal(env.PORT, 8787);
    assert.equal(env.HOST, '127.0.0.1');
    assert.equal(env.DATA_DIR, './data');
    assert.equal(env.DEMO_DATA, true);
    assert.equal(env.SMTP_URL, undefined);
    const s = settingsFromEnv(env);
    assert.equal(s.trustProxy, false);
    assert.equal(s.webhookPrivateTargets, false);
    assert.equal(s.smtpUrl, undefined);
    assert.equal(s.responseCacheChars, undefined);
  });

  test('values are parsed into settings', () => {
    const env = readEnv({ PORT: '9000', DEMO_PORT: 'off', TRUST_PROXY: '1', RESPONSE_CACHE_MB: '4', SMTP_URL: 'smtp://u:p@127.0.0.1:2525', MAIL_FROM: 'office@example.com', OFFICE_SIMULATOR: 'off' });
    assert.equal(env.PORT, 9000);
    assert.equal(env.DEMO_PORT, 'off');
    assert.equal(env.OFFICE_SIMULATOR, false);
    const s = settingsFromEnv(env);
    assert.equal(s.trustProxy, true);
    assert.equal(s.responseCacheChars, 4 * 1024 * 1024);
    assert.equal(s.smtpUrl, 'smtp://u:p@127.0.0.1:2525');
    assert.equal(s.mailFrom, 'office@example.com');
  });

  for (const [name, value] of [
    ['RESPONSE_CACHE_MB', 'abc'],
    ['PORT', '70000'],
    ['DEMO_PORT', 'seven'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['TRUST_PROXY', 'maybe'],
    ['MAIL_FROM', 'not an address'],
  ] as const) {
    test(`${name}=${value} is refused, naming the variable`, () => {
      assert.throws(() => readEnv({ [name]: value }), (e: unknown) => e instanceof EnvError && e.message.includes(`${name}="${value}"`));
    });
  }

  test('the server, the demo start-up and the admin CLI stop (exit 2) on a bad value, saying which', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-env-'));
    for (const entry of ['server/main.ts', 'demo/main.ts', 'server/cli.ts']) {
      const args = entry === 'server/cli.ts' ? ['outbox'] : [];
      const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
        env: { ...process.env, DATA_DIR: dataDir, RESPONSE_CACHE_MB: 'abc', PORT: '0' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 2, `${entry}: ${r.stderr}`);
      assert.match(r.stderr, /RESPONSE_CACHE_MB="abc"/, entry);
    }
  });
});
