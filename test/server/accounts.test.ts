import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { inviteContact } from '../../server/sessions/accounts.js';
import { createApp } from '../../server/app.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact, getContact } from '../../server/companies/data.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { defaultSettings, type Settings } from '../../server/settings.js';
import { linkToken, startSmtp, type Inbox } from './smtp.js';

const run = promisify(execFile);
const JSON_HEADERS = { 'content-type': 'application/json' };
const OLD_PASSWORD = 'old-password-1';

let inbox: Inbox;
before(async () => {
  inbox = await startSmtp();
});
after(async () => {
  await inbox.close();
});

let oldHash: string;
async function world(overrides: Partial<Settings> = {}) {
  oldHash ??= await hashPassword(OLD_PASSWORD);
  const db = openDatabase(':memory:');
  const acme = createProvider(db, {
    slug: 'acme',
    name: 'Acme Plumbing',
    portalUrl: 'https://acme.example/portal',
    theme: { brandColor: '#0b5cab', logoUrl: '/logo.svg' },
  });
  const other = createProvider(db, { slug: 'other', name: 'Other Co', portalUrl: 'https://other.example/portal' });
  const company = createCompany(db, acme.id, { name: 'Harbour View' });
  const otherCompany = createCompany(db, other.id, { name: 'Elsewhere' });
  const unique = Math.random().toString(36).slice(2, 8);
  const email = `kim-${unique}@example.com`;
  const kimId = createContact(db, acme.id, { companyId: company, email, name: 'Kim Invitee' });
  const pat = `pat-${unique}@example.com`;
  const patId = createContact(db, acme.id, { companyId: company, email: pat, name: 'Pat Member', passwordHash: oldHash });
  createContact(db, other.id, { companyId: otherCompany, email: pat, name: 'Pat Elsewhere', passwordHash: oldHash });
  const logs: string[] = [];
  const app = createApp(db, defaultSettings({ smtpUrl: inbox.url, publicUrl: 'https://portal.example', log: (l) => logs.push(l), ...overrides }));
  const call = (path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) =>
    app.request(`/api/portal/${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...JSON_HEADERS, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const login = async (address: string, password: string, slug = 'acme') => {
    const r = await call(`${slug}/session`, { body: { email: address, password } });
    return { status: r.status, token: r.status === 201 ? ((await r.json()) as { token: string }).token : '' };
  };
  return { db, app, acme, other, email, kimId, pat, patId, logs, call, login, contact: (id: number) => getContact(db, acme.id, id)! };
}

/** Lets work the server deferred past its answer (the reset after "forgot password") run. */
const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

const count = (db: Db, sql: string, ...args: unknown[]): number => (db.prepare(sql).pluck().get(...args) as number) ?? 0;

describe('invitation', () => {
  test('the contact gets an email in the provider name with a one-time link that sets the password and logs in', async () => {
    const w = await world();
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    const mail = await inbox.next(w.email);
    assert.match(mail.subject ?? '', /Acme Plumbing/);
    assert.equal(mail.from?.value[0]?.name, 'Acme Plumbing');
    assert.ok(mail.text?.includes('Set your password'), 'plain-text part');
    assert.ok(typeof mail.html === 'string' && mail.html.includes('#0b5cab'), 'HTML part in the brand colour');
    assert.ok((mail.html as string).includes('https://portal.example/logo.svg'), 'logo as an absolute URL on the portal server');
    const token = linkToken(mail, 'invite');
    assert.ok(mail.text!.includes(`https://acme.example/portal#portal-invite=${token}`), 'link to the provider portal page, token in the fragment');

    // Only the hash is stored.
    assert.equal(count(w.db, 'SELECT count(*) FROM auth_links WHERE token_hash = ?', token), 0);
    assert.equal(count(w.db, 'SELECT count(*) FROM auth_links WHERE token_hash = ?', createHash('sha256').update(token).digest('hex')), 1);

    const info = await w.call('acme/password/link', { body: { token } });
    assert.equal(info.status, 200);
    assert.deepEqual({ ...(await info.json()), expiresAt: undefined }, { purpose: 'invite', email: w.email, name: 'Kim Invitee', expiresAt: undefined });

    const set = await w.call('acme/password/set', { body: { token, password: 'brand new secret 42' } });
    assert.equal(set.status, 200);
    const session = (await set.json()) as { token: string; me: { contact: { email: string } } };
    assert.equal(session.me.contact.email, w.email);
    assert.equal((await w.call('acme/me', { token: session.token })).status, 200);
    assert.equal((await w.login(w.email, 'brand new secret 42')).status, 201);

    const again = await w.call('acme/password/set', { body: { token, password: 'another secret 43' } });
    assert.equal(again.status, 410);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'link_used');
    assert.equal((await w.login(w.email, 'another secret 43')).status, 401, 'a reused link changes nothing');
  });

  test('re-inviting replaces the old link; expired and tampered links are refused and change nothing', async () => {
    const w = await world();
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    const first = linkToken(await inbox.next(w.email), 'invite');
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    const second = linkToken(await inbox.next(w.email), 'invite');
    assert.notEqual(first, second);
    assert.equal((await w.call('acme/password/set', { body: { token: first, password: 'brand new secret 42' } })).status, 410);

    const tampered = (second[0] === 'A' ? 'B' : 'A') + second.slice(1);
    const r = await w.call('acme/password/set', { body: { token: tampered, password: 'brand new secret 42' } });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'invalid_link');

    // Another provider's portal does not know the link.
    assert.equal((await w.call('other/password/set', { body: { token: second, password: 'brand new secret 42' } })).status, 400);

    w.db.prepare('UPDATE auth_links SET expires_at = 1 WHERE used_at IS NULL').run();
    const expired = await w.call('acme/password/set', { body: { token: second, password: 'brand new secret 42' } });
    assert.equal(expired.status, 410);
    assert.equal(((await expired.json()) as { error: { code: string } }).error.code, 'link_expired');
    assert.equal(w.contact(w.kimId).password_hash, null, 'no password was set');
  });

  test('weak passwords are refused with a field error and leave the link usable', async () => {
    const w = await world();
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    const token = linkToken(await inbox.next(w.email), 'invite');
    for (const [password, reason] of [
      ['short1', /at least 10/],
      ['qwertyuiop', /most common/],
      ['Password123', /most common/],
      [w.email, /email/],
      ['%%%%%%%%%%%%%%%%%', /repeated/],
    ] as const) {
      const r = await w.call('acme/password/set', { body: { token, password } });
      assert.equal(r.status, 400, password);
      const body = (await r.json()) as { error: { code: string; fields: { password: string } } };
      assert.equal(body.error.code, 'weak_password');
      assert.match(body.error.fields.password, reason);
    }
    assert.equal(w.contact(w.kimId).password_hash, null);
    assert.equal((await w.call('acme/password/set', { body: { token, password: 'a fine long passphrase' } })).status, 200);
  });

  test('set-password attempts per link are rate limited', async () => {
    const w = await world();
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    const token = linkToken(await inbox.next(w.email), 'invite');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await w.call('acme/password/set', { body: { token, password: 'short' } })).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
    assert.equal(statuses[11], 429);
    const r = await w.call('acme/password/set', { body: { token, password: 'a fine long passphrase' } });
    assert.equal(r.status, 429, 'even a good password waits');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });
});

describe('forgot password', () => {
  test('known and unknown addresses get the same answer; only the known one gets mail', async () => {
    const w = await world();
    const known = await w.call('acme/password/forgot', { body: { email: w.pat } });
    const unknown = await w.call('acme/password/forgot', { body: { email: 'nobody@example.com' } });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(await known.json(), await unknown.json());
    const mail = await inbox.next(w.pat);
    assert.match(mail.subject ?? '', /Reset/);
    assert.ok(mail.text?.includes('30 minutes'));
    await w.app.deps.mailer.flush();
    assert.equal(count(w.db, "SELECT count(*) FROM mail_outbox WHERE recipient = 'nobody@example.com'"), 0);
    assert.equal(inbox.messages.filter((m) => JSON.stringify(m.to).includes('nobody@example.com')).length, 0);
  });

  test('a reset ends every old session, sends a "password changed" email, and the new password works', async () => {
    const w = await world();
    const before = await w.login(w.pat, OLD_PASSWORD);
    assert.equal(before.status, 201);
    await w.call('acme/password/forgot', { body: { email: w.pat.toUpperCase() } });
    const token = linkToken(await inbox.next(w.pat), 'reset');
    const r = await w.call('acme/password/set', { body: { token, password: 'my new secret phrase' } });
    assert.equal(r.status, 200);
    assert.equal((await w.call('acme/me', { token: before.token })).status, 401, 'old session ended');
    const changed = await inbox.next(w.pat);
    assert.match(changed.subject ?? '', /was changed/);
    assert.equal((await w.login(w.pat, OLD_PASSWORD)).status, 401);
    assert.equal((await w.login(w.pat, 'my new secret phrase')).status, 201);
    // The same address at another provider is another account, untouched.
    assert.equal((await w.login(w.pat, OLD_PASSWORD, 'other')).status, 201);
  });

  test('reset requests are rate limited per address and per client address', async () => {
    const w = await world({ trustProxy: true });
    const from = (ip: string, email: string) => w.call('acme/password/forgot', { body: { email }, headers: { 'x-forwarded-for': ip } });
    const perAddress = [];
    for (let i = 0; i < 4; i++) perAddress.push((await from(`10.0.0.${i}`, w.pat)).status);
    assert.deepEqual(perAddress, [202, 202, 202, 429]);
    const perIp = [];
    for (let i = 0; i < 21; i++) perIp.push((await from('10.9.9.9', `someone${i}@example.com`)).status);
    assert.equal(perIp.filter((s) => s === 429).length, 1);
    assert.equal(perIp[20], 429);
    const limited = await from('10.9.9.9', 'another@example.com');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await from('10.1.1.1', 'another@example.com')).status, 202, 'other addresses are not affected');
  });

  test('bad input gets a clear 4xx and writes nothing', async () => {
    const w = await world();
    const mails = count(w.db, 'SELECT count(*) FROM mail_outbox');
    for (const body of [{}, { email: 'not-an-email' }, { email: 'a'.repeat(300) + '@example.com' }]) {
      const r = await w.call('acme/password/forgot', { body });
      assert.equal(r.status, 400);
      assert.ok(((await r.json()) as { error: { fields: Record<string, string> } }).error.fields.email);
    }
    for (const body of [{}, { token: 'x'.repeat(500), password: 'long enough pass' }, { token: 42, password: 'x' }]) {
      assert.equal((await w.call('acme/password/set', { body })).status, 400);
    }
    assert.equal(count(w.db, 'SELECT count(*) FROM mail_outbox'), mails);
  });
});

describe('signed-in account', () => {
  test('change password: needs the current one, keeps this session, ends the others', async () => {
    const w = await world();
    const a = await w.login(w.pat, OLD_PASSWORD);
    const b = await w.login(w.pat, OLD_PASSWORD);
    const wrong = await w.call('acme/password/change', { token: a.token, body: { currentPassword: 'nope nope nope', newPassword: 'my new secret phrase' } });
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { error: { fields: Record<string, string> } }).error.fields.currentPassword !== undefined, true);
    const weak = await w.call('acme/password/change', { token: a.token, body: { currentPassword: OLD_PASSWORD, newPassword: 'qwertyuiop' } });
    assert.equal(weak.status, 400);
    assert.equal((await w.login(w.pat, OLD_PASSWORD)).status, 201, 'unchanged after refusals');

    const ok = await w.call('acme/password/change', { token: a.token, body: { currentPassword: OLD_PASSWORD, newPassword: 'my new secret phrase' } });
    assert.equal(ok.status, 200);
    assert.equal((await w.call('acme/me', { token: a.token })).status, 200, 'this session stays');
    assert.equal((await w.call('acme/me', { token: b.token })).status, 401, 'the other one ended');
    assert.match((await inbox.next(w.pat)).subject ?? '', /was changed/);
    assert.equal((await w.call('acme/password/change', { body: { currentPassword: 'x', newPassword: 'y' } })).status, 401);
  });

  test('log out everywhere ends every session of the contact and no one else', async () => {
    const w = await world();
    const a = await w.login(w.pat, OLD_PASSWORD);
    const b = await w.login(w.pat, OLD_PASSWORD);
    const elsewhere = await w.login(w.pat, OLD_PASSWORD, 'other');
    assert.equal((await w.call('acme/sessions', { method: 'DELETE', token: a.token })).status, 204);
    assert.equal((await w.call('acme/me', { token: a.token })).status, 401);
    assert.equal((await w.call('acme/me', { token: b.token })).status, 401);
    assert.equal((await w.call('other/me', { token: elsewhere.token })).status, 200);
  });
});

describe('audit log and mail outbox', () => {
  test('events are logged without secrets; delivered mail bodies are blanked', async () => {
    const w = await world();
    await w.login(w.pat, 'wrong password!');
    const { token } = await w.login(w.pat, OLD_PASSWORD);
    await w.call('acme/session', { method: 'DELETE', token });
    await w.call('acme/password/forgot', { body: { email: w.pat } });
    const link = linkToken(await inbox.next(w.pat), 'reset');
    await w.call('acme/password/set', { body: { token: link, password: 'my new secret phrase' } });
    inviteContact(w.app.deps, w.acme, w.contact(w.kimId));
    await inbox.next(w.email);
    await inbox.next(w.pat); // password changed
    const events = w.db.prepare('SELECT event FROM audit_log ORDER BY id').pluck().all();
    for (const e of ['login_failed', 'login', 'logout', 'reset_requested', 'password_changed', 'invite_sent']) assert.ok(events.includes(e), e);
    const everything = JSON.stringify(w.db.prepare('SELECT * FROM audit_log').all()) + w.logs.join('\n');
    for (const secret of ['wrong password!', OLD_PASSWORD, 'my new secret phrase', token, link]) assert.ok(!everything.includes(secret), 'no secret logged');
    await w.app.deps.mailer.flush();
    assert.equal(count(w.db, "SELECT count(*) FROM mail_outbox WHERE status = 'sent' AND (text_body != '' OR html_body != '')"), 0);
    assert.equal(count(w.db, `SELECT count(*) FROM mail_outbox WHERE text_body LIKE '%${link}%'`), 0);
  });

  test('an unreachable SMTP server loses nothing: the mail waits with the error, for a retry', async () => {
    const w = await world({ smtpUrl: 'smtp://127.0.0.1:9' });
    await w.call('acme/password/forgot', { body: { email: w.pat } });
    await settle();
    await w.app.deps.mailer.flush();
    const row = w.db.prepare('SELECT status, attempts, last_error, next_attempt_at FROM mail_outbox').get() as {
      status: string; attempts: number; last_error: string; next_attempt_at: number;
    };
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.ok(row.last_error.length > 0);
    assert.ok(row.next_attempt_at > Date.now() / 1000, 'retried later, with backoff');
    w.app.deps.mailer.stop();
  });

  test('without SMTP the demo mailbox lists kept mail to this machine only; with SMTP or outside the demo it does not exist', async () => {
    const local = await world({ smtpUrl: undefined, demoMailbox: true });
    await local.call('acme/password/forgot', { body: { email: local.pat } });
    await settle();
    await local.app.deps.mailer.flush();
    const peer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const box = await local.app.request('/api/dev/mailbox', {}, peer('127.0.0.1'));
    assert.equal(box.status, 200);
    assert.equal((await local.app.request('/api/dev/mailbox', {}, peer('192.0.2.7'))).status, 403, 'not from another machine');
    assert.equal((await local.app.request('/api/dev/mailbox', { headers: { 'x-forwarded-for': '127.0.0.1' } }, peer('127.0.0.1'))).status, 403, 'not through a proxy');
    assert.equal((await local.app.request('/api/dev/mailbox')).status, 403, 'not from an unknown peer');
    const mails = (await box.json()) as { to: string; text: string; status: string }[];
    assert.equal(mails[0]?.to, local.pat);
    assert.equal(mails[0]?.status, 'kept');
    assert.match(mails[0]!.text, /#portal-reset=/);
    const w = await world({ demoMailbox: true });
    assert.equal((await w.app.request('/api/dev/mailbox', {}, peer('127.0.0.1'))).status, 404, 'SMTP configured');
    const notDemo = await world({ smtpUrl: undefined });
    assert.equal((await notDemo.app.request('/api/dev/mailbox', {}, peer('127.0.0.1'))).status, 404, 'not the demo');
  });
});

describe('admin command line', () => {
  const cli = (dataDir: string, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, SMTP_URL: inbox.url } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  test('invite creates the contact and sends the invitation; errors exit non-zero with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
    const db = openDatabase(join(dir, 'portal.db'));
    createProvider(db, { slug: 'acme', name: 'Acme Plumbing', portalUrl: 'https://acme.example/portal' });
    createProvider(db, { slug: 'nolink', name: 'No Link Ltd' });
    db.close();

    const ok = await cli(dir, ['invite', '--provider', 'acme', '--email', 'new@example.com', '--name', 'New Person', '--company', 'New Co']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Invitation sent to new@example.com/);
    const mail = await inbox.next('new@example.com');
    assert.ok(linkToken(mail, 'invite'));

    const usage = await cli(dir, ['invite', '--provider', 'acme']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--email is required/);
    const unknown = await cli(dir, ['invite', '--provider', 'nope', '--email', 'x@example.com']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No provider "nope"/);
    const noContact = await cli(dir, ['invite', '--provider', 'acme', '--email', 'ghost@example.com']);
    assert.equal(noContact.code, 2);
    assert.match(noContact.stderr, /give --name and --company/);
    const noUrl = await cli(dir, ['invite', '--provider', 'nolink', '--email', 'x@example.com', '--name', 'X', '--company', 'C']);
    assert.equal(noUrl.code, 1);
    assert.match(noUrl.stderr, /no portal URL/);
    assert.equal((await cli(dir, ['frobnicate'])).code, 2);

    const check = openDatabase(join(dir, 'portal.db'));
    assert.equal(count(check, "SELECT count(*) FROM contacts WHERE email = 'ghost@example.com'"), 0);
    check.close();
  });
});
