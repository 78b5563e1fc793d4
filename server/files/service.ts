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
import { reencodePhoto } from './images.js';
import { receiveToFile } from './receive.js';
import { UrlSigner } from './signing.js';
import { isPhotoType, sniff } from './sniff.js';
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

export class Files {
  readonly store: DiskStore;
  readonly signer: UrlSigner;
  private readonly listeners = new Set<ViewableListener>();

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
    const stored: string[] = [];
    try {
      const received = await receiveToFile(body, temps[0], this.limits.maxFileBytes);
      const type = sniff(received.head);
      if (!type || (!i.documents && !isPhotoType(type))) {
        const allowed = i.documents ? `${PHOTOS} and PDF documents` : PHOTOS;
        throw new ApiError(415, 'unsupported_file_type', `This kind of file cannot be added. Send ${allowed}.`, { file: `must be one of: ${allowed}` });
      }
      let file: { sha256: string; size: number; width: number | null; height: number | null; thumb: string | null; contentType: string };
      if (isPhotoType(type)) {
        const { display, thumb } = await reencodePhoto(received.path, temps[1], temps[2]);
        await this.store.put(display.path, display.sha256);
        stored.push(display.sha256);
        await this.store.put(thumb.path, thumb.sha256);
        stored.push(thumb.sha256);
        file = { sha256: display.sha256, size: display.size, width: display.width, height: display.height, thumb: thumb.sha256, contentType: 'image/jpeg' };
      } else {
        await this.store.put(received.path, received.sha256);
        stored.push(received.sha256);
        file = { sha256: received.sha256, size: received.size, width: null, height: null, thumb: null, contentType: type };
      }
      const result = this.db.transaction(() => {
        const existing = sameUpload(this.db, { providerId: i.job.providerId, jobId: i.job.id, sha256: file.sha256, addedBy: i.addedBy, contactId: i.contactId });
        if (existing) return { row: existing, created: false };
        // Checked again inside the transaction: uploads running side by side cannot overshoot.
        this.checkRoom(i.job, file.size);
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
          size: file.size,
          sha256: file.sha256,
          thumbSha256: file.thumb,
          width: file.width,
          height: file.height,
          caption: i.caption,
          viewable: i.viewable,
        });
        i.recorded?.(row);
        return { row, created: true };
      })();
      if (result.created && result.row.viewable) this.madeViewable(result.row);
      return result;
    } catch (error) {
      await this.release(stored);
      throw error;
    } finally {
      await Promise.all(temps.map((t) => rm(t, { force: true })));
    }
  }

  /** Removes stored objects no live file uses any more (after a delete, or a failed intake). */
  async release(keys: (string | null)[]): Promise<void> {
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
