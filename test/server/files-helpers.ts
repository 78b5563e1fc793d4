/**
 * Fixtures for the job file tests: the portal world with its files stored in a fresh folder and
 * an API key per provider, photos made with sharp (no binaries in the repository), upload and
 * fetch helpers, and what is on disk and in the table for "nothing was written".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createApiKey } from '../../server/providers/api-keys.js';
import type { Settings } from '../../server/settings.js';
import type { App } from './helpers.js';
import { makePortalWorld, type PortalWorld } from './portal-world.js';

export interface FilesWorld extends PortalWorld {
  dir: string;
  keyA: string;
  keyB: string;
}

export async function makeFilesWorld(files: Partial<Settings['files']> = {}): Promise<FilesWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-files-test-'));
  const defaults = (await import('../../server/settings.js')).defaultSettings().files;
  const w = await makePortalWorld({ settings: { filesDir: dir, files: { ...defaults, ...files } } });
  return { ...w, dir, keyA: createApiKey(w.db, w.acme.id, 'office A').key, keyB: createApiKey(w.db, w.bright.id, 'office B').key };
}

/**
 * A JPEG photo of noise (so it does not compress to nothing: well past the 64 KB JSON body limit),
 * `width` × `height`, with optional EXIF (GPS position, orientation).
 */
export async function photo(o: { width?: number; height?: number; gps?: boolean; orientation?: number; format?: 'jpeg' | 'png' | 'webp' | 'heif' } = {}): Promise<Buffer> {
  const width = o.width ?? 400;
  const height = o.height ?? 300;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  let img = sharp(noise, { raw: { width, height, channels: 3 } });
  if (o.gps) {
    img = img.withExif({
      IFD0: { Make: 'TestCam', Model: 'Leaky 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    });
  }
  if (o.orientation) img = img.keepExif().withMetadata({ orientation: o.orientation });
  const format = o.format ?? 'jpeg';
  if (format === 'heif') return img.heif({ compression: 'av1', quality: 50 }).toBuffer();
  return img.toFormat(format, format === 'jpeg' ? { quality: 92 } : {}).toBuffer();
}

/** What an upload sends: bytes, or a stream of them. */
export type Bytes = Uint8Array | ReadableStream<Uint8Array>;

export async function upload(app: App, slug: string, token: string, jobId: number, body: Bytes, name = 'photo.jpg', extra: Record<string, string> = {}): Promise<Response> {
  const q = new URLSearchParams({ name, ...extra });
  return app.request(`/api/portal/${slug}/jobs/${jobId}/files?${q}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: body as BodyInit,
    // Required by fetch's Request for a streamed body.
    duplex: 'half',
  } as RequestInit);
}

export async function providerUpload(app: App, key: string, jobId: number, body: Bytes, name: string, extra: Record<string, string> = {}): Promise<Response> {
  const q = new URLSearchParams({ name, ...extra });
  return app.request(`/api/provider/v1/jobs/${jobId}/files?${q}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: body as BodyInit });
}

export async function listFiles(app: App, slug: string, token: string, jobId: number): Promise<{ status: number; body: any }> {
  const res = await app.request(`/api/portal/${slug}/jobs/${jobId}/files`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

/** Fetches a signed URL the way an <img> does: no Authorization, no Origin. */
export const fetchUrl = async (app: App, url: string): Promise<Response> => app.request(new URL(url).pathname + new URL(url).search);

export function storedObjects(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'objects')).flatMap((d) => readdirSync(join(dir, 'objects', d)));
  } catch {
    return [];
  }
}

export function tempFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'tmp'));
  } catch {
    return [];
  }
}

export const fileRows = (w: PortalWorld): number => (w.db.prepare('SELECT count(*) AS n FROM job_files').get() as { n: number }).n;

/** Nothing of a refused upload remains: no row, no stored object, no temporary file. */
export function assertNothingWritten(w: FilesWorld, before: { rows: number; objects: number }): void {
  assert.equal(fileRows(w), before.rows, 'no file row');
  assert.equal(storedObjects(w.dir).length, before.objects, 'no stored object');
  assert.deepEqual(tempFiles(w.dir), [], 'no temporary file');
}

export const counts = (w: FilesWorld): { rows: number; objects: number } => ({ rows: fileRows(w), objects: storedObjects(w.dir).length });

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? '(none)';
}
