/**
 * Photo uploads end to end (stream to disk, sniff, re-encode, thumbnail, record) over loopback,
 * against writing the same bytes to disk in the same run; and the server's peak memory above
 * idle while 8 photos of about 15 MB upload at once. The server runs in its own process, so its
 * memory is its own (bench/upload-target.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';
import type { UploadTargetReady } from './upload-target.js';

const ROUNDS = 7;
const CONCURRENT = 8;
const CONCURRENT_RUNS = 3;
const MB = 1_000_000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface UploadFigures {
  photoBytes: number;
  uploadMs: number;
  /** A document of the same size: streamed, hashed, sniffed and stored, not re-encoded. */
  documentMs: number;
  diskMs: number;
  fifteenBytes: number;
  /** Each run of the 8 concurrent uploads. */
  concurrent: { ms: number; idleRss: number; peakRss: number; idleBuffers: number; buffersPeak: number }[];
}

function ask<T>(child: ChildProcess, op: string, extra: object = {}): Promise<T> {
  const answer = new Promise<T>((ok) => {
    const on = (m: { op: string }): void => {
      if (m.op !== op) return;
      child.off('message', on);
      ok(m as T);
    };
    child.on('message', on);
  });
  child.send({ op, ...extra });
  return answer;
}

/** A JPEG of noise (it compresses like a very detailed photo) of about `bytes` bytes. */
async function noisePhoto(bytes: number): Promise<Buffer> {
  const make = (w: number, h: number) => sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const probe = await make(1000, 750);
  const scale = Math.sqrt(bytes / probe.length);
  let out = await make(Math.round(1000 * scale), Math.round(750 * scale));
  // One correction step: the bytes per pixel drift a little with size.
  const again = Math.sqrt(bytes / out.length);
  if (Math.abs(again - 1) > 0.02) out = await make(Math.round(1000 * scale * again), Math.round(750 * scale * again));
  return out;
}

export async function uploadBench(): Promise<UploadFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-photos-'));
  const paths = [join(dir, 'ten.jpg'), join(dir, 'fifteen.jpg')] as const;
  writeFileSync(paths[0], await noisePhoto(10_000_000));
  writeFileSync(paths[1], await noisePhoto(15_000_000));
  // As `npm start` runs the server: glibc's default of one malloc arena per thread lets libvips'
  // worker threads each keep tens of MB after a photo (sharp's documentation recommends a cap).
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
  const child = fork(fileURLToPath(new URL('./upload-target.ts', import.meta.url)), [...paths], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit', env });
  const [ready] = (await once(child, 'message')) as [UploadTargetReady];
  let job = 0;
  const upload = async (bytes: Uint8Array<ArrayBuffer>, name: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${ready.url}/api/portal/bench-photos/jobs/${ready.jobs[job++]}/files?name=${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ready.token}`, 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`upload answered ${res.status}`);
    return performance.now() - started;
  };
  const document = async (bytes: Uint8Array<ArrayBuffer>, i: number): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${ready.url}/api/provider/v1/jobs/${ready.jobs[0]}/files?name=doc-${i}.pdf`, { method: 'POST', headers: { Authorization: `Bearer ${ready.apiKey}` }, body: bytes });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`document upload answered ${res.status}`);
    return performance.now() - started;
  };
  try {
    const ten = new Uint8Array(readFileSync(ready.photos.ten));
    const fifteen = new Uint8Array(readFileSync(ready.photos.fifteen));
    // Warm up (JIT, libvips, the page cache), then interleave the two so drift hits both alike.
    await upload(ten, 'warm.jpg');
    await ask(child, 'disk', { path: ready.photos.ten });
    const uploads: number[] = [];
    const documents: number[] = [];
    const disks: number[] = [];
    const pdf = new Uint8Array(ten.length);
    pdf.set(new TextEncoder().encode('%PDF-1.7\n'));
    for (let i = 0; i < ROUNDS; i++) {
      uploads.push(await upload(ten, `ten-${i}.jpg`));
      // A different byte each round: the same bytes again would be answered as a repeat.
      pdf[pdf.length - 1] = i;
      documents.push(await document(pdf, i));
      disks.push((await ask<{ ms: number }>(child, 'disk', { path: ready.photos.ten })).ms);
    }
    const concurrent: UploadFigures['concurrent'] = [];
    for (let run = 0; run < CONCURRENT_RUNS; run++) {
      const idle = await ask<{ rss: number; buffers: number }>(child, 'rss');
      const started = performance.now();
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => upload(fifteen, `fifteen-${run}-${i}.jpg`)));
      const ms = performance.now() - started;
      const peak = await ask<{ peak: number; buffersPeak: number }>(child, 'peak');
      concurrent.push({ ms, idleRss: idle.rss, peakRss: peak.peak, idleBuffers: idle.buffers, buffersPeak: peak.buffersPeak });
    }
    return { photoBytes: ten.length, uploadMs: median(uploads), documentMs: median(documents), diskMs: median(disks), fifteenBytes: fifteen.length, concurrent };
  } finally {
    child.send({ op: 'stop' });
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printUploadBench(f: UploadFigures): void {
  const rate = (bytes: number, ms: number): string => `${(bytes / MB / (ms / 1000)).toFixed(1)} MB/s`;
  const limit = 3 * f.fifteenBytes;
  console.log(`\nPhoto uploads (${(f.photoBytes / MB).toFixed(1)} MB JPEG; medians of ${ROUNDS} interleaved rounds; server with MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '2'} as npm start runs it):`);
  console.log(`  end to end (stream, sniff, re-encode, thumbnail, record): ${f.uploadMs.toFixed(0)} ms, ${rate(f.photoBytes, f.uploadMs)}`);
  console.log(`  a document of the same size (streamed, hashed, sniffed, stored; no re-encoding): ${f.documentMs.toFixed(0)} ms, ${rate(f.photoBytes, f.documentMs)}`);
  console.log(`  the same bytes written to disk and flushed:               ${f.diskMs.toFixed(0)} ms, ${rate(f.photoBytes, f.diskMs)}`);
  console.log(
    `  ratio of times, photo upload / disk write: ${(f.uploadMs / f.diskMs).toFixed(1)}×; document upload / disk write: ${(f.documentMs / f.diskMs).toFixed(1)}× ` +
      `(no target; decoding and re-encoding the photo is most of it)`,
  );
  console.log(`  ${CONCURRENT} concurrent uploads of ${(f.fifteenBytes / MB).toFixed(1)} MB, ${CONCURRENT_RUNS} runs; server RSS peak above idle (target < 3× one file = ${(limit / MB).toFixed(1)} MB):`);
  for (const r of f.concurrent) {
    const above = r.peakRss - r.idleRss;
    console.log(
      `    ${(r.ms / 1000).toFixed(1)} s: idle ${(r.idleRss / MB).toFixed(0)} MB, peak ${(r.peakRss / MB).toFixed(0)} MB, ${(above / MB).toFixed(1)} MB above idle ` +
        `(of which request-body Buffers not yet collected: up to ${((r.buffersPeak - r.idleBuffers) / MB).toFixed(1)} MB)   ${above < limit ? 'MET' : 'NOT MET'}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printUploadBench(await uploadBench());
