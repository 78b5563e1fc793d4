/**
 * Who sees which file: office files stay hidden until marked viewable; signed URLs are refused
 * when expired, altered, or used for a file the contact may not see now (other contact,
 * company, provider, hidden, deleted, access lost).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setContactDisabled } from '../../server/companies/data.js';
import { errorCode, fetchUrl, listFiles, makeFilesWorld, photo, providerUpload, upload, type FilesWorld } from './files-helpers.js';

const OWNER = 'rec:edit_all' as const;

/** A URL for `fileId` signed with the server's own key, as if it had been issued to `contactId`. */
function forged(w: FilesWorld, slug: string, providerId: number, fileId: number, contactId: number, expires = w.app.deps.files.signer.expiry()): string {
  const s = w.app.deps.files.signer.sign({ providerId, fileId, variant: 'full', contactId }, expires);
  return `http://localhost/api/portal/${slug}/files/${fileId}/full?c=${contactId}&e=${expires}&s=${s}`;
}

async function officeFile(w: FilesWorld, job: number, viewable = false): Promise<{ id: number }> {
  const res = await providerUpload(w.app, w.keyA, job, await photo({ width: 160 + Math.floor(Math.random() * 100) }), 'before.jpg', { viewable: String(viewable) });
  assert.equal(res.status, 201);
  return res.json();
}

describe('office files are hidden until marked viewable', () => {
  test('a hidden file is never listed and never served, by id or by URL; once viewable it is; hidden again, its URL stops working', async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.named[OWNER];
    const hidden = await officeFile(w, job);
    assert.deepEqual((await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items, []);
    // Even a correctly signed URL (the server's own key) does not serve a hidden file.
    assert.equal((await fetchUrl(w.app, forged(w, 'acme', w.acme.id, hidden.id, w.contact[OWNER]))).status, 404);

    const patch = (viewable: boolean) =>
      w.app.request(`/api/provider/v1/files/${hidden.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${w.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify({ viewable }) });
    assert.equal((await patch(true)).status, 200);
    const listed = (await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items;
    assert.deepEqual(listed.map((f: { id: number }) => f.id), [hidden.id]);
    assert.equal((await fetchUrl(w.app, listed[0].url)).status, 200);

    assert.equal((await patch(false)).status, 200);
    assert.deepEqual((await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items, []);
    assert.equal((await fetchUrl(w.app, listed[0].url)).status, 404, 'a URL issued while it was viewable no longer serves it');
  });

  test('a deleted file is never listed nor served', async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.named[OWNER];
    const file = await officeFile(w, job, true);
    const url = (await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items[0].url;
    assert.equal((await w.app.request(`/api/provider/v1/files/${file.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${w.keyA}` } })).status, 204);
    assert.deepEqual((await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items, []);
    assert.equal((await fetchUrl(w.app, url)).status, 404);
  });
});

describe('signed file URLs', () => {
  test('expired, altered signature, altered expiry, other variant and other contact are refused (403)', async () => {
    const w = await makeFilesWorld();
    const file = await (await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo())).json();
    const url = new URL(file.url);
    const with_ = (k: string, v: string): string => {
      const u = new URL(url);
      u.searchParams.set(k, v);
      return u.href;
    };
    const sig = url.searchParams.get('s')!;
    const cases: [string, string, string][] = [
      ['expired (signed by the server, expiry passed)', forged(w, 'acme', w.acme.id, file.id, w.contact[OWNER], Math.floor(Date.now() / 1000) - 5), 'link_expired'],
      ['signature altered', with_('s', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)), 'invalid_signature'],
      ['expiry pushed later', with_('e', String(Number(url.searchParams.get('e')) + 3600)), 'invalid_signature'],
      ['another contact put in', with_('c', String(w.contact.colleague)), 'invalid_signature'],
      ['the thumbnail signature used for the full file', with_('s', new URL(file.thumbUrl).searchParams.get('s')!), 'invalid_signature'],
      ["another provider's path", url.href.replace('/portal/acme/', '/portal/bright/'), 'invalid_signature'],
    ];
    for (const [what, href, code] of cases) {
      const res = await fetchUrl(w.app, href);
      assert.equal(res.status, 403, what);
      assert.equal(await errorCode(res), code, what);
    }
    for (const bad of [with_('s', 'short'), with_('c', 'x'), url.href.replace('/full?', '/original?')]) {
      assert.equal((await fetchUrl(w.app, bad)).status, 400, bad);
    }
    assert.equal((await fetchUrl(w.app, file.url)).status, 200, 'the URL itself works');
  });

  test('a properly signed URL for a contact who may not see the file answers 404: other company, other provider, own-only colleague, disabled, no access', async () => {
    const w = await makeFilesWorld();
    const file = await (await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo())).json();
    const cases: [string, string, number, number][] = [
      ['another company', 'acme', w.acme.id, w.contact.otherCompany],
      ['a colleague who sees only their own jobs', 'acme', w.acme.id, w.contact['rec:view_own']],
      ['a colleague with no jobs access', 'acme', w.acme.id, w.contact['rec:none']],
      ['a contact of another provider, at that provider', 'bright', w.bright.id, w.contact.otherProvider],
      ['a contact of another provider, at this provider', 'acme', w.acme.id, w.contact.otherProvider],
    ];
    for (const [what, slug, providerId, contactId] of cases) {
      const res = await fetchUrl(w.app, forged(w, slug, providerId, file.id, contactId));
      assert.equal(res.status, 404, what);
    }
    assert.equal((await fetchUrl(w.app, forged(w, 'acme', w.acme.id, file.id, w.contact['rec:view_all']))).status, 200, 'sanity: a colleague who sees all jobs may');
    setContactDisabled(w.db, w.acme.id, w.contact[OWNER], true);
    assert.equal((await fetchUrl(w.app, file.url)).status, 404, 'the uploader, once disabled');
  });

  test("the list of another company's, provider's or an unseen job answers 404; no session 401", async () => {
    const w = await makeFilesWorld();
    assert.equal((await listFiles(w.app, 'acme', w.token[OWNER], w.jobs.otherCompany)).status, 404);
    assert.equal((await listFiles(w.app, 'acme', w.token[OWNER], w.jobs.otherProvider)).status, 404);
    assert.equal((await listFiles(w.app, 'acme', w.token['rec:view_own'], w.jobs.colleague)).status, 404);
    assert.equal((await listFiles(w.app, 'acme', w.token[OWNER], 987654321)).status, 404);
    assert.equal((await w.app.request(`/api/portal/acme/jobs/${w.jobs.own[OWNER]}/files`)).status, 401);
    assert.equal((await listFiles(w.app, 'acme', w.token[OWNER], 0)).status, 400);
  });

  test('the URL key comes from settings when given, else one is made once and kept', async () => {
    const a = await makeFilesWorld();
    const key = (a.db.prepare("SELECT value FROM server_secrets WHERE name = 'file_url_key'").get() as { value: string } | undefined)?.value;
    await upload(a.app, 'acme', a.token[OWNER], a.jobs.own[OWNER], await photo());
    const made = (a.db.prepare("SELECT value FROM server_secrets WHERE name = 'file_url_key'").get() as { value: string }).value;
    assert.equal(key, undefined);
    assert.ok(made.length >= 40);
    assert.equal(a.logs.some((l) => l.includes(made)), false, 'never logged');
  });
});
