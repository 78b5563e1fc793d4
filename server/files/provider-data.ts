/** Job files, provider side: every query scoped by the provider the API key belongs to. */
import { type Db, nowSeconds, stmt } from '../db/index.js';
import { jobRow } from '../jobs/provider-data.js';
import { notFound } from '../permissions.js';
import type { FileRow } from './data.js';
import type { FileUpdate } from './schemas.js';

/** All live files of one of the provider's jobs, hidden ones included; 404 for another provider's job. */
export function listFilesForProvider(db: Db, providerId: number, jobId: number): FileRow[] {
  jobRow(db, providerId, jobId);
  return stmt<[number, number], FileRow>(db, 'SELECT * FROM job_files WHERE provider_id = ? AND job_id = ? AND deleted_at IS NULL ORDER BY id').all(providerId, jobId);
}

export function providerFileRow(db: Db, providerId: number, fileId: number): FileRow {
  const row = stmt<[number, number], FileRow>(db, 'SELECT * FROM job_files WHERE provider_id = ? AND id = ? AND deleted_at IS NULL').get(providerId, fileId);
  if (!row) throw notFound('file');
  return row;
}

/** Sets visibility and caption; says whether the file has just become viewable. */
export function updateFileForProvider(db: Db, providerId: number, fileId: number, b: FileUpdate): { row: FileRow; madeViewable: boolean } {
  const before = providerFileRow(db, providerId, fileId);
  const viewable = b.viewable === undefined ? before.viewable : b.viewable ? 1 : 0;
  const caption = b.caption ?? before.caption;
  if (viewable === before.viewable && caption === before.caption) return { row: before, madeViewable: false };
  const row = stmt<[number, string, number, number, number], FileRow>(
    db,
    'UPDATE job_files SET viewable = ?, caption = ?, updated_at = ? WHERE provider_id = ? AND id = ? RETURNING *',
  ).get(viewable, caption, nowSeconds(), providerId, fileId)!;
  return { row, madeViewable: before.viewable === 0 && viewable === 1 };
}
