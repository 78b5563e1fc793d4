/**
 * The files mechanism the routes, the CLI and the demo share: the store, the URL signer, the
 * limits, taking an upload in (stream, sniff, re-encode, store, record) and freeing storage.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import type { Settings } from '../settings.js';
import { type FileRow, insertFile, liveObjectKeys, objectInUse, sameUpload, serverSecret, usage } from './data.js';
import { Gate, reencodePhoto } from './images.js';
import { receiveToFile } from './receive.js';
import { UrlSigner } from './signing.js';
import { isPhotoType, sniff, type SniffedType } from './sniff.js';
import { DiskStore } from './storage.js';

/** A file customers can now see: what the live event stream announces. */
export interface ViewableFile {
  providerId: number;
  companyId: number;
  jobId: number;
  fileId: number;
}
export type ViewableListener = (file: ViewableFile) => void;

export interface Intake {
  job: { providerId: number; companyId: number; id: number };
  name: string;
  caption: string;
  addedBy: FileRow['added_by'];
  contactId: number | null;
  viewable: boolean;
  /** Customers add photos only; the office also PDF documents. */
  documents: boolean;
  /** Runs in the transaction that records a new file (the webhook event goes in with it). */
  recorded?: (row: FileRow) => void;
}

const PHOTOS = 'JPEG, PNG, WebP or HEIC photos';

/** An upload ready to store: the bytes to serve (and a thumbnail for photos), in temporary files. */
interface Prepared {
  main: { path: string; sha256: string; size: number };
  thumb: { path: string; sha256: string } | null;
  width: number | null;
  height: number | null;
  contentType: string;
}

export class Files {
  readonly store: DiskStore;
  readonly signer: UrlSigner;
  private readonly listeners = new Set<ViewableListener>();
  /**
   * Storing objects, recording rows and freeing objects take turns: content-addressed objects are
   * shared, so a failed upload freeing "its" object must not remove one that an upload of the
   * same bytes, running beside it, has stored and is about to record.
   */
  private readonly commits = new Gate(1);

  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
  ) {
    this.store = new DiskStore(settings.filesDir ?? join(tmpdir(), `portal-files-${process.pid}`));
    let key: Buffer | null = settings.files.urlSecret ? Buffer.from(settings.files.urlSecret) : null;
    this.signer = new UrlSigner(() => (key ??= serverSecret(db, 'file_url_key')), settings.files.urlTtlMs);
  }

  get limits(): Settings['files'] {
    return this.settings.files;
  }

  /** Subscribes to files becoming viewable to customers; returns the unsubscribe. */
  onViewable(listener: ViewableListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The one call point for "a file was made viewable" (a customer's upload, an office upload sent
   * viewable, or an office file switched to viewable), after its transaction committed.
   */
  madeViewable(row: FileRow): void {
    const file = { providerId: row.provider_id, companyId: row.company_id, jobId: row.job_id, fileId: row.id };
    for (const listener of this.listeners) {
      try {
        listener(file);
      } catch (error) {
        this.settings.log(`files: viewable listener failed: ${(error as Error).message}`);
      }
    }
  }

  private checkRoom(job: Intake['job'], adding: number): void {
    const used = usage(this.db, job.providerId, job.companyId, job.id);
    if (used.jobFiles >= this.limits.maxFilesPerJob) {
      throw new ApiError(409, 'too_many_files', `This job already has ${this.limits.maxFilesPerJob} files, the most it can have.`);
    }
    if (used.companyBytes + adding > this.limits.maxCompanyBytes) {
      throw new ApiError(409, 'storage_full', 'There is no room left for more files for your company. Ask your provider to remove old ones.');
    }
  }

  /**
   * Streams `body` in and records it: 413 past the size limit, 400 empty or cut off, 415 for a
   * type not allowed (decided from the bytes), 409 past the job's or company's limit. A repeated
   * upload of the same bytes by the same party answers the file already there (`created` false).
   * Nothing is recorded or kept unless all of it succeeded.
   */
  async intake(body: ReadableStream<Uint8Array> | null, i: Intake): Promise<{ row: FileRow; created: boolean }> {
    this.checkRoom(i.job, 0);
    await this.store.prepare();
    const temps = [this.store.tempPath(), this.store.tempPath(), this.store.tempPath()] as const;
    try {
      const received = await receiveToFile(body, temps[0], this.limits.maxFileBytes);
      const type = sniff(received.head);
      if (!type || (!i.documents && !isPhotoType(type))) {
        const allowed = i.documents ? `${PHOTOS} and PDF documents` : PHOTOS;
        throw new ApiError(415, 'unsupported_file_type', `This kind of file cannot be added. Send ${allowed}.`, { file: `must be one of: ${allowed}` });
      }
      const file: Prepared = isPhotoType(type)
        ? await this.photo(received.path, temps[1], temps[2])
        : { main: received, thumb: null, width: null, height: null, contentType: type };
      const result = await this.commits.run(async () => {
        // Objects this upload put in the store, freed again if its row cannot be recorded.
        const stored: string[] = [];
        try {
          for (const object of [file.main, file.thumb]) {
            if (!object) continue;
            await this.store.put(object.path, object.sha256);
            stored.push(object.sha256);
          }
          return this.record(i, type, file);
        } catch (error) {
          await this.releaseNow(stored);
          throw error;
        }
      });
      if (result.created && result.row.viewable) this.madeViewable(result.row);
      return result;
    } finally {
      await Promise.all(temps.map((t) => rm(t, { force: true })));
    }
  }

  private async photo(input: string, displayPath: string, thumbPath: string): Promise<Prepared> {
    const { display, thumb } = await reencodePhoto(input, displayPath, thumbPath);
    return { main: display, thumb, width: display.width, height: display.height, contentType: 'image/jpeg' };
  }

  /** The row of a stored file, in one transaction with what `recorded` adds (the webhook event). */
  private record(i: Intake, type: SniffedType, file: Prepared): { row: FileRow; created: boolean } {
    return this.db.transaction(() => {
      const existing = sameUpload(this.db, { providerId: i.job.providerId, jobId: i.job.id, sha256: file.main.sha256, addedBy: i.addedBy, contactId: i.contactId });
      if (existing) return { row: existing, created: false };
      // Checked again inside the transaction: uploads running side by side cannot overshoot.
      this.checkRoom(i.job, file.main.size);
      const row = insertFile(this.db, {
        providerId: i.job.providerId,
        companyId: i.job.companyId,
        jobId: i.job.id,
        kind: type === 'application/pdf' ? 'document' : 'photo',
        addedBy: i.addedBy,
        contactId: i.contactId,
        name: i.name,
        uploadedType: type,
        contentType: file.contentType,
        size: file.main.size,
        sha256: file.main.sha256,
        thumbSha256: file.thumb?.sha256 ?? null,
        width: file.width,
        height: file.height,
        caption: i.caption,
        viewable: i.viewable,
      });
      i.recorded?.(row);
      return { row, created: true };
    })();
  }

  /** Removes stored objects no live file uses any more (after a delete). */
  release(keys: (string | null)[]): Promise<void> {
    return this.commits.run(() => this.releaseNow(keys));
  }

  private async releaseNow(keys: (string | null)[]): Promise<void> {
    for (const key of keys) if (key && !objectInUse(this.db, key)) await this.store.remove(key);
  }

  /**
   * Start-up clean-up: temporary files of uploads that never finished, and stored objects no
   * live file refers to (a crash between storing and recording). Returns how many objects went.
   */
  async sweep(): Promise<number> {
    await this.store.clearTemp();
    const live = liveObjectKeys(this.db);
    let removed = 0;
    for (const key of await this.store.keys()) {
      if (!live.has(key)) {
        await this.store.remove(key);
        removed++;
      }
    }
    return removed;
  }
}
