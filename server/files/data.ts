/**
 * Job files, customer side: every read is scoped by the viewer (provider, company, jobs
 * permission) through the job it belongs to, and sees only live files marked viewable. Also the
 * writes both sides share (inserting a stored file, usage for the limits, freeing storage).
 */
import { randomBytes } from 'node:crypto';
import { type Db, nowSeconds, stmt } from '../db/index.js';
import type { JobRow } from '../jobs/data.js';
import { CLOSED, visibleJob } from '../jobs/data.js';
import { ApiError } from '../http/errors.js';
import { canEdit, forbidden, isOwn, notFound, recordScope, type Viewer } from '../permissions.js';

export interface FileRow {
  id: number;
  provider_id: number;
  company_id: number;
  job_id: number;
  kind: 'photo' | 'document';
  added_by: 'office' | 'customer';
  contact_id: number | null;
  original_name: string;
  uploaded_type: string;
  content_type: string;
  size: number;
  sha256: string;
  thumb_sha256: string | null;
  width: number | null;
  height: number | null;
  caption: string;
  viewable: 0 | 1;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** The job if the viewer may see it (404 otherwise, other tenants' jobs included). */
export const jobForViewer = (db: Db, viewer: Viewer, jobId: number): JobRow => visibleJob(db, viewer, jobId);

/**
 * Why the viewer may not add photos to this job they can see, or null when they may: only jobs
 * their company requested through the portal, with edit access to the job, while it is open.
 */
export function uploadRefusal(viewer: Viewer, job: JobRow): ApiError | null {
  if (job.source !== 'portal') return new ApiError(403, 'uploads_not_allowed', 'Photos can be added only to jobs requested through the portal.');
  if (!canEdit(viewer.permissions.jobs, isOwn(viewer, job))) return forbidden('add photos to this job');
  if (CLOSED.includes(job.status)) return new ApiError(409, 'job_closed', `This job is ${job.status}; photos can no longer be added.`);
  return null;
}

/** The live, viewable files of a job the viewer may see, oldest first. */
export function listViewableFiles(db: Db, viewer: Viewer, jobId: number): FileRow[] {
  jobForViewer(db, viewer, jobId);
  return stmt<[number, number], FileRow>(
    db,
    'SELECT * FROM job_files WHERE provider_id = ? AND job_id = ? AND deleted_at IS NULL AND viewable = 1 ORDER BY id',
  ).all(viewer.providerId, jobId);
}

/**
 * A live, viewable file on a job the viewer may see now; undefined otherwise (hidden, deleted,
 * another company's or provider's, or the viewer lost access to jobs).
 */
export function viewableFile(db: Db, viewer: Viewer, fileId: number): FileRow | undefined {
  if (viewer.permissions.jobs === 'none') return undefined;
  const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
  return stmt<(number | string)[], FileRow>(
    db,
    `SELECT f.* FROM job_files f JOIN jobs r ON r.id = f.job_id
      WHERE f.id = ? AND f.provider_id = ? AND f.deleted_at IS NULL AND f.viewable = 1 AND ${scope.sql}`,
  ).get(fileId, viewer.providerId, ...scope.params);
}

/** The viewer's own upload on that job, live (hidden or not); 404 otherwise. */
export function ownUpload(db: Db, viewer: Viewer, jobId: number, fileId: number): FileRow {
  jobForViewer(db, viewer, jobId);
  const row = stmt<[number, number, number, number], FileRow>(
    db,
    `SELECT * FROM job_files WHERE id = ? AND job_id = ? AND provider_id = ? AND contact_id = ?
        AND added_by = 'customer' AND deleted_at IS NULL`,
  ).get(fileId, jobId, viewer.providerId, viewer.contactId);
  if (!row) throw notFound('file');
  return row;
}

export interface NewFile {
  providerId: number;
  companyId: number;
  jobId: number;
  kind: FileRow['kind'];
  addedBy: FileRow['added_by'];
  contactId: number | null;
  name: string;
  uploadedType: string;
  contentType: string;
  size: number;
  sha256: string;
  thumbSha256: string | null;
  width: number | null;
  height: number | null;
  caption: string;
  viewable: boolean;
}

export function insertFile(db: Db, f: NewFile): FileRow {
  const now = nowSeconds();
  return stmt<unknown[], FileRow>(
    db,
    `INSERT INTO job_files (provider_id, company_id, job_id, kind, added_by, contact_id, original_name, uploaded_type,
       content_type, size, sha256, thumb_sha256, width, height, caption, viewable, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(
    f.providerId, f.companyId, f.jobId, f.kind, f.addedBy, f.contactId, f.name, f.uploadedType,
    f.contentType, f.size, f.sha256, f.thumbSha256, f.width, f.height, f.caption, f.viewable ? 1 : 0, now, now,
  )!;
}

/** A live file on the job with these exact served bytes, added by the same party (a repeated upload). */
export function sameUpload(db: Db, f: Pick<NewFile, 'providerId' | 'jobId' | 'sha256' | 'addedBy' | 'contactId'>): FileRow | undefined {
  return stmt<unknown[], FileRow>(
    db,
    `SELECT * FROM job_files WHERE provider_id = ? AND job_id = ? AND sha256 = ? AND added_by = ?
        AND contact_id IS ? AND deleted_at IS NULL`,
  ).get(f.providerId, f.jobId, f.sha256, f.addedBy, f.contactId);
}

/** Live files on a job and bytes stored for its company: what the limits count. */
export function usage(db: Db, providerId: number, companyId: number, jobId: number): { jobFiles: number; companyBytes: number } {
  const jobFiles = stmt<[number, number], { n: number }>(db, 'SELECT count(*) AS n FROM job_files WHERE provider_id = ? AND job_id = ? AND deleted_at IS NULL').get(providerId, jobId)!.n;
  const companyBytes = stmt<[number, number], { n: number }>(
    db,
    'SELECT coalesce(sum(size), 0) AS n FROM job_files WHERE provider_id = ? AND company_id = ? AND deleted_at IS NULL',
  ).get(providerId, companyId)!.n;
  return { jobFiles, companyBytes };
}

/** Marks a file deleted (the row stays, with its deleted time); false when it already was. */
export function markDeleted(db: Db, providerId: number, fileId: number): boolean {
  const now = nowSeconds();
  return stmt(db, 'UPDATE job_files SET deleted_at = ?, updated_at = ? WHERE provider_id = ? AND id = ? AND deleted_at IS NULL').run(now, now, providerId, fileId).changes === 1;
}

/** Whether any live file still uses this stored object (as its bytes or thumbnail). */
export function objectInUse(db: Db, key: string): boolean {
  return !!stmt<[string, string], { one: number }>(
    db,
    `SELECT 1 AS one FROM job_files WHERE sha256 = ? AND deleted_at IS NULL
     UNION ALL SELECT 1 FROM job_files WHERE thumb_sha256 = ? AND deleted_at IS NULL LIMIT 1`,
  ).get(key, key);
}

/** Every object key a live file uses. */
export function liveObjectKeys(db: Db): Set<string> {
  const rows = stmt<[], { k: string | null }>(
    db,
    'SELECT sha256 AS k FROM job_files WHERE deleted_at IS NULL UNION SELECT thumb_sha256 FROM job_files WHERE deleted_at IS NULL',
  ).all();
  return new Set(rows.map((r) => r.k).filter((k): k is string => k !== null));
}

/** A server secret by name, made (32 random bytes) and kept on first use. */
export function serverSecret(db: Db, name: string): Buffer {
  stmt(db, 'INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
    name,
    randomBytes(32).toString('base64url'),
    nowSeconds(),
  );
  return Buffer.from(stmt<[string], { value: string }>(db, 'SELECT value FROM server_secrets WHERE name = ?').get(name)!.value, 'base64url');
}
