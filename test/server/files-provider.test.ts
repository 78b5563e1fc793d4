/**
 * Job files through the provider API: uploads (hidden by default, PDFs too), visibility and
 * captions, deletes, bytes, other provider's files; the "made viewable" call point; an upload
 * cut off on a real socket; the start-up sweep.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import type { ViewableFile } from '../../server/files/service.js';
import { assertNothingWritten, counts, errorCode, fetchUrl, listFiles, makeFilesWorld, photo, providerUpload, storedObjects, tempFiles } from './files-helpers.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const VIEWER = 'rec:view_all' as const;

const papi = (w: { app: { request: (p: string, i?: RequestInit) => Response | Promise<Response> } }, key: string, method: string, path: string, body?: unknown) =>
  w.app.request(`/api/provider/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('provider API: job files', () => {
  test('a PDF is added hidden, listed with its visibility, shown to customers once viewable (as an attachment), with the call point fired once', async () => {
    const w = await makeFilesWorld();
    const seen: ViewableFile[] = [];
    w.app.deps.files.onViewable((f) => seen.push(f));
    const job = w.jobs.named[VIEWER];
    const res = await providerUpload(w.app, w.keyA, job, PDF, 'Invoice 17.pdf', { caption: 'Invoice' });
    assert.equal(res.status, 201);
    const file = await res.json();
    assert.deepEqual([file.kind, file.contentType, file.uploadedType, file.viewable, file.addedBy], ['document', 'application/pdf', 'application/pdf', false, 'office']);
    assert.equal(file.size, PDF.length);
    const listed = await (await papi(w, w.keyA, 'GET', `/jobs/${job}/files`)).json();
    assert.deepEqual(listed.items.map((f: { id: number; viewable: boolean }) => [f.id, f.viewable]), [[file.id, false]]);
    assert.deepEqual((await listFiles(w.app, 'acme', w.token[VIEWER], job)).body.items, []);
    assert.deepEqual(seen, []);

    const shown = await papi(w, w.keyA, 'PATCH', `/files/${file.id}`, { viewable: true });
    assert.equal(shown.status, 200);
    assert.equal((await shown.json()).viewable, true);
    assert.deepEqual(seen, [{ providerId: w.acme.id, companyId: w.company.a1, jobId: job, fileId: file.id }]);
    await papi(w, w.keyA, 'PATCH', `/files/${file.id}`, { viewable: true });
    assert.equal(seen.length, 1, 'marking a viewable file viewable again is not news');

    const item = (await listFiles(w.app, 'acme', w.token[VIEWER], job)).body.items[0];
    assert.deepEqual([item.kind, item.thumbUrl, item.canDelete], ['document', null, false]);
    const served = await fetchUrl(w.app, item.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'application/pdf');
    assert.match(served.headers.get('content-disposition')!, /^attachment; filename="Invoice 17.pdf"/);
    assert.match(served.headers.get('content-security-policy')!, /sandbox/);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PDF);
  });

  test('photos are re-encoded, can be sent viewable, captioned, fetched and deleted', async () => {
    const w = await makeFilesWorld();
    const seen: ViewableFile[] = [];
    w.app.deps.files.onViewable((f) => seen.push(f));
    const job = w.jobs.unnamed;
    const file = await (await providerUpload(w.app, w.keyA, job, await photo({ gps: true }), 'after.jpg', { viewable: 'true' })).json();
    assert.deepEqual([file.kind, file.viewable, file.contentType], ['photo', true, 'image/jpeg']);
    assert.equal(seen.length, 1);
    const captioned = await (await papi(w, w.keyA, 'PATCH', `/files/${file.id}`, { caption: 'After: new trap fitted' })).json();
    assert.equal(captioned.caption, 'After: new trap fitted');
    const bytes = await w.app.request(captioned.thumbnailUrl, { headers: { authorization: `Bearer ${w.keyA}` } });
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers.get('content-type'), 'image/jpeg');
    assert.equal((await papi(w, w.keyA, 'DELETE', `/files/${file.id}`)).status, 204);
    assert.equal((await papi(w, w.keyA, 'DELETE', `/files/${file.id}`)).status, 404);
    assert.equal((await w.app.request(captioned.contentUrl, { headers: { authorization: `Bearer ${w.keyA}` } })).status, 404);
    assert.deepEqual(storedObjects(w.dir), []);
  });

  test("another provider's job and files answer 404, and nothing changes", async () => {
    const w = await makeFilesWorld();
    const file = await (await providerUpload(w.app, w.keyA, w.jobs.unnamed, PDF, 'a.pdf')).json();
    const before = counts(w);
    assert.equal((await providerUpload(w.app, w.keyB, w.jobs.unnamed, PDF, 'b.pdf')).status, 404);
    assert.equal((await papi(w, w.keyB, 'GET', `/jobs/${w.jobs.unnamed}/files`)).status, 404);
    assert.equal((await papi(w, w.keyB, 'PATCH', `/files/${file.id}`, { viewable: true })).status, 404);
    assert.equal((await papi(w, w.keyB, 'DELETE', `/files/${file.id}`)).status, 404);
    assert.equal((await papi(w, w.keyB, 'GET', `/files/${file.id}/content/full`)).status, 404);
    assertNothingWritten(w, before);
    assert.equal((w.db.prepare('SELECT viewable FROM job_files WHERE id = ?').get(file.id) as { viewable: number }).viewable, 0);
    assert.equal((await providerUpload(w.app, 'pk_nope', w.jobs.unnamed, PDF, 'c.pdf')).status, 401);
  });

  test('bad input: SVG, HTML named .pdf, empty body, bad flags and updates (4xx, nothing written)', async () => {
    const w = await makeFilesWorld();
    const file = await (await providerUpload(w.app, w.keyA, w.jobs.unnamed, PDF, 'a.pdf')).json();
    const before = counts(w);
    const refused: [Buffer, string, Record<string, string>, number][] = [
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.svg', {}, 415],
      [Buffer.from('<html><body>hi</body></html>'), 'x.pdf', {}, 415],
      [Buffer.alloc(0), 'x.pdf', {}, 400],
      [PDF, 'x.pdf', { viewable: 'yes' }, 400],
    ];
    for (const [body, name, extra, status] of refused) assert.equal((await providerUpload(w.app, w.keyA, w.jobs.unnamed, body, name, extra)).status, status, name);
    for (const body of [{}, { viewable: 'true' }, { caption: 5 }, { other: 1 }]) {
      const res = await papi(w, w.keyA, 'PATCH', `/files/${file.id}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(await errorCode(res), 'validation_failed');
    }
    assert.equal((await papi(w, w.keyA, 'GET', `/files/${file.id}/content/original`)).status, 400);
    assertNothingWritten(w, before);
  });

  test('an Idempotency-Key on an upload does not make the server read the body whole; a retry gives the same file', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo({ width: 900, height: 700 });
    const send = () => providerUpload(w.app, w.keyA, w.jobs.unnamed, bytes, 'p.jpg');
    const first = await w.app.request(`/api/provider/v1/jobs/${w.jobs.unnamed}/files?name=p.jpg`, { method: 'POST', headers: { authorization: `Bearer ${w.keyA}`, 'idempotency-key': 'k1' }, body: new Uint8Array(bytes) });
    assert.equal(first.status, 201);
    const again = await send();
    assert.equal(again.status, 200);
    assert.equal((await again.json()).id, (await first.json()).id);
  });
});

describe('uploads over a real socket', () => {
  test('a connection dropped midway leaves no row, no stored object and no temporary file', async () => {
    const w = await makeFilesWorld();
    const server = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ok) => server.once('listening', ok));
    const { port } = server.address() as AddressInfo;
    const bytes = await photo({ width: 1000, height: 800 });
    const before = counts(w);
    await new Promise<void>((ok) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/portal/acme/jobs/${w.jobs.own['rec:edit_own']}/files?name=p.jpg`,
        headers: { authorization: `Bearer ${w.token['rec:edit_own']}`, 'content-length': String(bytes.length) },
      });
      req.on('error', () => ok());
      req.write(bytes.subarray(0, bytes.length / 2), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => ok());
    });
    // The server notices the reset and cleans up.
    for (let i = 0; i < 50 && counts(w).objects + tempFiles(w.dir).length > before.objects; i++) await new Promise((r) => setTimeout(r, 20));
    assertNothingWritten(w, before);
    await new Promise((ok) => server.close(ok));
  });

  test('the start-up sweep removes temporary files and objects no file row refers to', async () => {
    const w = await makeFilesWorld();
    const kept = await (await providerUpload(w.app, w.keyA, w.jobs.unnamed, PDF, 'a.pdf')).json();
    const orphan = 'ab'.repeat(32);
    mkdirSync(`${w.dir}/objects/ab`, { recursive: true });
    writeFileSync(`${w.dir}/objects/ab/${orphan}`, 'left by a crash');
    writeFileSync(`${w.dir}/tmp/half.part`, 'half an upload');
    assert.equal(await w.app.deps.files.sweep(), 1);
    assert.deepEqual(storedObjects(w.dir), [kept.sha256]);
    assert.deepEqual(tempFiles(w.dir), []);
  });
});
