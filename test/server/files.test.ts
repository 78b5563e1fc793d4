/**
 * Job files, customer side: photo uploads (type from the bytes, re-encoding, limits, who may),
 * the list, signed URLs (expired, altered, other contact, company, provider) and deletes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { assertNothingWritten, counts, errorCode, fetchUrl, listFiles, makeFilesWorld, photo, providerUpload, storedObjects, upload } from './files-helpers.js';

const OWNER = 'rec:edit_own' as const;

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG whose header claims 20,000 × 20,000 pixels, in a few dozen bytes: a decompression bomb's front. */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20_000, 0);
  ihdr.writeUInt32BE(20_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(16)), chunk('IEND', Buffer.alloc(0))]);
}

/** An ISO-BMFF box that says "HEIC" (HEVC-coded), followed by bytes no decoder can read. */
const heicHeader = (): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(3000, 9)]);

describe('customer photo uploads', () => {
  test('a photo on a job the contact requested is stored, listed and served with safe headers', async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.own[OWNER];
    const res = await upload(w.app, 'acme', w.token[OWNER], job, await photo({ width: 900, height: 600 }), 'kitchen leak.jpg', { caption: 'Water under the sink' });
    assert.equal(res.status, 201);
    const file = await res.json();
    assert.equal(file.kind, 'photo');
    assert.equal(file.contentType, 'image/jpeg');
    assert.deepEqual([file.width, file.height], [900, 600]);
    assert.equal(file.caption, 'Water under the sink');
    assert.equal(file.mine, true);

    const list = await listFiles(w.app, 'acme', w.token[OWNER], job);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((f: { id: number }) => f.id), [file.id]);
    assert.equal(list.body.canUpload, true);
    // A colleague who may see all the company's jobs sees it too, but may not delete it.
    const colleague = await listFiles(w.app, 'acme', w.token['rec:view_all'], job);
    assert.deepEqual(colleague.body.items.map((f: { id: number; mine: boolean; canDelete: boolean }) => [f.id, f.mine, f.canDelete]), [[file.id, false, false]]);

    const img = await fetchUrl(w.app, file.url);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
    assert.match(img.headers.get('content-disposition')!, /^inline; filename="kitchen leak.jpg"/);
    assert.match(img.headers.get('cache-control')!, /^private, max-age=\d+$/);
    assert.match(img.headers.get('content-security-policy')!, /default-src 'none'.*sandbox/);
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width], ['jpeg', 900]);

    const thumb = await fetchUrl(w.app, file.thumbUrl);
    assert.equal(thumb.status, 200);
    assert.ok(((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width ?? 0) <= 400, 'the thumbnail is small');
    const download = await fetchUrl(w.app, file.downloadUrl);
    assert.match(download.headers.get('content-disposition')!, /^attachment; /);
  });

  test('GPS and all other EXIF are removed, and the orientation is applied', async () => {
    const w = await makeFilesWorld();
    const original = await photo({ width: 400, height: 300, gps: true, orientation: 6 });
    const before = await sharp(original).metadata();
    assert.ok(before.exif && original.includes('TestCam'), 'sanity: the test photo carries EXIF with a GPS block');
    const file = await (await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], original)).json();
    const served = Buffer.from(await (await fetchUrl(w.app, file.url)).arrayBuffer());
    const after = await sharp(served).metadata();
    assert.equal(after.exif, undefined, 'no EXIF at all');
    assert.equal(after.xmp, undefined);
    assert.equal(served.includes('TestCam'), false);
    assert.equal(after.orientation, undefined);
    assert.deepEqual([file.width, file.height], [300, 400], 'turned upright (orientation 6 is a quarter turn)');
  });

  test('a JPEG with an HTML payload appended comes back re-encoded, without it', async () => {
    const w = await makeFilesWorld();
    const polyglot = Buffer.concat([await photo(), Buffer.from('<html><script>alert(document.domain)</script></html>')]);
    const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], polyglot, 'cat.jpg');
    assert.equal(res.status, 201);
    const served = Buffer.from(await (await fetchUrl(w.app, (await res.json()).url)).arrayBuffer());
    assert.equal(served.includes('<script'), false);
    assert.equal((await sharp(served).metadata()).format, 'jpeg');
  });

  test('PNG, WebP and HEIF photos are accepted and served as JPEG', async () => {
    const w = await makeFilesWorld();
    for (const format of ['png', 'webp', 'heif'] as const) {
      const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo({ format, width: 120, height: 80 }), `p.${format}`);
      assert.equal(res.status, 201, format);
      const file = await res.json();
      assert.equal(file.contentType, 'image/jpeg', format);
      const row = w.db.prepare('SELECT uploaded_type FROM job_files WHERE id = ?').get(file.id) as { uploaded_type: string };
      assert.equal(row.uploaded_type, format === 'heif' ? 'image/heif' : `image/${format}`, 'the uploaded type is recorded from the bytes');
    }
  });

  const refused: [string, () => Promise<Buffer>, string, number, string][] = [
    ['an HTML file renamed .jpg', async () => Buffer.from('<!doctype html><script>alert(1)</script>'), 'photo.jpg', 415, 'unsupported_file_type'],
    ['an SVG', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.svg', 415, 'unsupported_file_type'],
    ['a PDF (documents come from the office only)', async () => Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), 'invoice.pdf', 415, 'unsupported_file_type'],
    ['plain bytes', async () => Buffer.alloc(5000, 7), 'x.png', 415, 'unsupported_file_type'],
    ['JPEG magic bytes with garbage after them', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 1)]), 'broken.jpg', 415, 'unreadable_image'],
    ['zero bytes', async () => Buffer.alloc(0), 'empty.jpg', 400, 'empty_file'],
    ['a PNG claiming 400 million pixels', async () => pngBomb(), 'bomb.png', 415, 'unreadable_image'],
    ['a HEIC this server cannot decode', async () => heicHeader(), 'IMG_0001.HEIC', 415, 'unreadable_image'],
  ];
  for (const [what, bytes, name, status, code] of refused) {
    test(`${what} is refused (${status} ${code}) and nothing is written`, async () => {
      const w = await makeFilesWorld();
      const before = counts(w);
      const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await bytes(), name);
      assert.equal(res.status, status);
      assert.equal(await errorCode(res), code);
      assertNothingWritten(w, before);
      assert.equal((w.db.prepare("SELECT count(*) AS n FROM webhook_events WHERE type = 'job.file_added'").get() as { n: number }).n, 0);
    });
  }

  test('a file over the size limit is cut off while it streams (413) and nothing is written', async () => {
    const w = await makeFilesWorld({ maxFileBytes: 50_000 });
    const big = await photo({ width: 800, height: 600 });
    assert.ok(big.length > 50_000);
    const before = counts(w);
    // No Content-Length: the limit is counted on the bytes as they arrive.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let at = 0; at < big.length; at += 8192) c.enqueue(new Uint8Array(big.subarray(at, at + 8192)));
        c.close();
      },
    });
    const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], stream);
    assert.equal(res.status, 413);
    assert.equal(await errorCode(res), 'file_too_large');
    assertNothingWritten(w, before);
  });

  test('an upload whose body breaks off midway leaves no row and no file', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo({ width: 800, height: 600 });
    const before = counts(w);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > bytes.length / 2) return c.error(new Error('connection reset'));
        c.enqueue(new Uint8Array(bytes.subarray(sent, sent + 16384)));
        sent += 16384;
      },
    });
    const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], stream);
    assert.equal(res.status, 400);
    assert.equal(await errorCode(res), 'upload_incomplete');
    assertNothingWritten(w, before);
  });

  test('bad names and captions are refused before anything is read', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo();
    for (const q of [{ name: '' }, { name: 'a\u0000b.jpg' }, { name: 'x'.repeat(201) }, { name: 'a.jpg', caption: 'c'.repeat(501) }, { name: 'a.jpg', extra: '1' }]) {
      const { name, ...rest } = q;
      const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], bytes, name, rest as Record<string, string>);
      assert.equal(res.status, 400, JSON.stringify(q));
    }
    const res = await w.app.request(`/api/portal/acme/jobs/${w.jobs.own[OWNER]}/files`, { method: 'POST', headers: { authorization: `Bearer ${w.token[OWNER]}` }, body: new Uint8Array(bytes) });
    assert.equal(res.status, 400, 'the name is required');
    assert.equal(storedObjects(w.dir).length, 0);
  });

  test('who may upload: only to jobs their company requested in the portal, with edit access, while open', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo();
    const cases: [string, keyof typeof w.token, number, number, string][] = [
      ['a job the office created (naming the contact)', OWNER, w.jobs.named[OWNER], 403, 'uploads_not_allowed'],
      ['their own job with view-only access', 'rec:view_own', w.jobs.own['rec:view_own'], 403, 'forbidden'],
      ["a colleague's job with edit_own", OWNER, w.jobs.colleague, 404, 'not_found'],
      ["another company's job", OWNER, w.jobs.otherCompany, 404, 'not_found'],
      ["another provider's job", OWNER, w.jobs.otherProvider, 404, 'not_found'],
      ['no jobs access at all', 'rec:none', w.jobs.own['rec:none'], 403, 'forbidden'],
    ];
    const before = counts(w);
    for (const [what, who, job, status, code] of cases) {
      const res = await upload(w.app, 'acme', w.token[who], job, bytes);
      assert.equal(res.status, status, what);
      assert.equal(await errorCode(res), code, what);
    }
    const closed = w.jobs.own['rec:edit_all'];
    w.db.prepare("UPDATE jobs SET status = 'completed' WHERE id = ?").run(closed);
    const res = await upload(w.app, 'acme', w.token['rec:edit_all'], closed, bytes);
    assert.equal(res.status, 409);
    assertNothingWritten(w, before);
    // With edit_all a colleague's portal job is fine.
    assert.equal((await upload(w.app, 'acme', w.token['rec:edit_all'], w.jobs.colleague, bytes)).status, 201);
    assert.equal((await listFiles(w.app, 'acme', w.token[OWNER], w.jobs.named[OWNER])).body.canUpload, false);
  });

  test('the job.file_added webhook event is stored with the upload', async () => {
    const w = await makeFilesWorld();
    w.db.prepare("INSERT INTO webhook_endpoints (provider_id, url, secret, events, created_at) VALUES (?, 'https://office.example/h', 's', '[\"job.file_added\"]', 0)").run(w.acme.id);
    const file = await (await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo(), 'p.jpg')).json();
    const events = w.db.prepare("SELECT payload FROM webhook_events WHERE type = 'job.file_added'").all() as { payload: string }[];
    assert.equal(events.length, 1);
    const data = JSON.parse(events[0]!.payload).data;
    assert.equal(data.file.id, file.id);
    assert.equal(data.file.viewable, true);
    assert.equal(data.job.id, w.jobs.own[OWNER]);
  });

  test('the same photo sent twice is one file (200 the second time)', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo();
    const first = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], bytes);
    const second = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], bytes);
    assert.deepEqual([first.status, second.status], [201, 200]);
    assert.equal((await second.json()).id, (await first.json()).id);
    assert.equal(storedObjects(w.dir).length, 2, 'one photo and its thumbnail');
  });

  test('an Idempotency-Key on a customer upload does not make the server read the streamed body first: the photo is stored whole', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo({ width: 640, height: 480 });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(bytes));
        c.close();
      },
    });
    const res = await w.app.request(`/api/portal/acme/jobs/${w.jobs.own[OWNER]}/files?name=p.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.token[OWNER]}`, 'content-type': 'application/octet-stream', 'idempotency-key': 'upload-1' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 201, await res.clone().text());
    const file = await res.json();
    assert.equal(file.width, 640);
    assert.equal(storedObjects(w.dir).length, 2, 'the photo and its thumbnail');
  });

  test('files per job and bytes per company are limited (409)', async () => {
    const w = await makeFilesWorld({ maxFilesPerJob: 2 });
    for (const width of [100, 110]) assert.equal((await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo({ width }))).status, 201);
    const res = await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], await photo({ width: 120 }));
    assert.equal(res.status, 409);
    assert.equal(await errorCode(res), 'too_many_files');

    const q = await makeFilesWorld({ maxCompanyBytes: 30_000 });
    assert.equal((await upload(q.app, 'acme', q.token[OWNER], q.jobs.own[OWNER], await photo({ width: 200, height: 150 }))).status, 201);
    const before = counts(q);
    const full = await upload(q.app, 'acme', q.token[OWNER], q.jobs.own[OWNER], await photo({ width: 300, height: 200 }));
    assert.equal(full.status, 409);
    assert.equal(await errorCode(full), 'storage_full');
    assertNothingWritten(q, before);
  });

  test('a body far over the JSON limit (64 KB) reaches the upload route', async () => {
    const w = await makeFilesWorld();
    const bytes = await photo({ width: 1200, height: 900 });
    assert.ok(bytes.length > 256 * 1024);
    assert.equal((await upload(w.app, 'acme', w.token[OWNER], w.jobs.own[OWNER], bytes, 'big.jpg', {})).status, 201);
  });
});

describe('deleting an upload', () => {
  test('the contact deletes their own: gone from the list, its URL answers 404, its bytes are removed', async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.own[OWNER];
    const file = await (await upload(w.app, 'acme', w.token[OWNER], job, await photo())).json();
    const res = await w.app.request(`/api/portal/acme/jobs/${job}/files/${file.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${w.token[OWNER]}` } });
    assert.equal(res.status, 204);
    assert.deepEqual((await listFiles(w.app, 'acme', w.token[OWNER], job)).body.items, []);
    assert.equal((await fetchUrl(w.app, file.url)).status, 404);
    assert.deepEqual(storedObjects(w.dir), []);
    const row = w.db.prepare('SELECT deleted_at FROM job_files WHERE id = ?').get(file.id) as { deleted_at: number | null };
    assert.ok(row.deleted_at, 'the row keeps its deleted time');
  });

  test("nobody deletes another's upload or an office file (404), and nothing changes", async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.own['rec:edit_all'];
    const theirs = await (await upload(w.app, 'acme', w.token['rec:edit_all'], job, await photo())).json();
    const office = await (await providerUpload(w.app, w.keyA, job, await photo({ width: 100 }), 'office.jpg', { viewable: 'true' })).json();
    for (const [who, id] of [['colleague', theirs.id], ['rec:edit_all', office.id], ['otherCompany', theirs.id], ['otherProvider', theirs.id]] as const) {
      const slug = who === 'otherProvider' ? 'bright' : 'acme';
      const res = await w.app.request(`/api/portal/${slug}/jobs/${job}/files/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${w.token[who]}` } });
      assert.equal(res.status, 404, `${who} deleting ${id}`);
    }
    assert.equal((await listFiles(w.app, 'acme', w.token['rec:edit_all'], job)).body.items.length, 2);
  });
});
