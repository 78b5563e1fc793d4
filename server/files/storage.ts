/**
 * Where file bytes live. The app only puts finished temporary files in, reads objects out by
 * key and removes them, so an S3-compatible store can replace the disk store without touching
 * the routes: uploads always stream to a local temporary file first (sniffing and re-encoding
 * need one), and `put` hands the finished file over.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export interface FileStore {
  /** A fresh path for a temporary file, on the same file system as the store (so `put` is a rename). */
  tempPath(): string;
  /**
   * Moves a finished temporary file in under `key` (its SHA-256: content-addressed, so the same
   * bytes are kept once). The temporary file is gone afterwards either way.
   */
  put(tempPath: string, key: string): Promise<void>;
  /** The object's bytes as a stream with its size, or null when there is none. */
  read(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  remove(key: string): Promise<void>;
  /** Every key held, for sweeping objects no row refers to. */
  keys(): Promise<string[]>;
  /** Removes temporary files left by uploads a crash or a dropped connection never finished. */
  clearTemp(): Promise<void>;
}

const KEY = /^[0-9a-f]{64}$/;

/** Objects at `<root>/objects/ab/<sha256>`, temporary files in `<root>/tmp`. */
export class DiskStore implements FileStore {
  private readonly objects: string;
  private readonly tmp: string;
  private ready: Promise<void> | null = null;

  constructor(root: string) {
    this.objects = join(root, 'objects');
    this.tmp = join(root, 'tmp');
  }

  /** Creates the folders on first use, so an app that never stores a file never makes them. */
  prepare(): Promise<void> {
    this.ready ??= Promise.all([mkdir(this.objects, { recursive: true }), mkdir(this.tmp, { recursive: true })]).then(() => undefined);
    return this.ready;
  }

  tempPath(): string {
    return join(this.tmp, `${randomUUID()}.part`);
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
    return join(this.objects, key.slice(0, 2), key);
  }

  async put(tempPath: string, key: string): Promise<void> {
    const target = this.path(key);
    try {
      await stat(target);
      await unlink(tempPath);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await mkdir(join(this.objects, key.slice(0, 2)), { recursive: true });
    // rename() is atomic: a reader sees no object or the whole one, never a half file.
    await rename(tempPath, target);
  }

  async read(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null> {
    const path = this.path(key);
    try {
      const { size } = await stat(path);
      return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async keys(): Promise<string[]> {
    await this.prepare();
    const keys: string[] = [];
    for (const dir of await readdir(this.objects)) {
      for (const name of await readdir(join(this.objects, dir)).catch(() => [] as string[])) if (KEY.test(name)) keys.push(name);
    }
    return keys;
  }

  async clearTemp(): Promise<void> {
    await this.prepare();
    for (const name of await readdir(this.tmp)) await rm(join(this.tmp, name), { force: true });
  }
}
