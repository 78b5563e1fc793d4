/** File rows as the API shows them, and the answer that serves a file's bytes. */
import type { Context } from 'hono';
import { iso } from '../db/paging.js';
import { completeResponse } from '../http/api-middleware.js';
import { ApiError } from '../http/errors.js';
import type { Viewer } from '../permissions.js';
import type { FileRow } from './data.js';
import type { FileVariant, JobFile, ProviderFile } from './schemas.js';
import type { Files } from './service.js';

const common = (r: FileRow) => ({
  id: r.id,
  jobId: r.job_id,
  kind: r.kind,
  name: r.original_name,
  contentType: r.content_type,
  size: r.size,
  width: r.width,
  height: r.height,
  caption: r.caption,
  addedBy: r.added_by,
  createdAt: iso(r.created_at)!,
});

/** Where this server is reached from outside: the configured public URL, else the request's origin. */
export const apiOrigin = (c: Context, publicUrl: string | undefined): string => (publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');

/** A customer's view of a file, with URLs signed for this viewer. */
export function toJobFile(files: Files, r: FileRow, viewer: Viewer, base: string): JobFile {
  const expires = files.signer.expiry();
  const url = (variant: FileVariant): string => {
    const s = files.signer.sign({ providerId: r.provider_id, fileId: r.id, variant, contactId: viewer.contactId }, expires);
    return `${base}/files/${r.id}/${variant}?c=${viewer.contactId}&e=${expires}&s=${s}`;
  };
  const mine = r.added_by === 'customer' && r.contact_id === viewer.contactId;
  const full = url('full');
  return {
    ...common(r),
    mine,
    canDelete: mine,
    url: full,
    thumbUrl: r.thumb_sha256 ? url('thumb') : null,
    downloadUrl: `${full}&download=1`,
    urlExpiresAt: new Date(expires * 1000).toISOString(),
  };
}

export function toProviderFile(r: FileRow): ProviderFile {
  return {
    ...common(r),
    companyId: r.company_id,
    contactId: r.contact_id,
    uploadedType: r.uploaded_type,
    sha256: r.sha256,
    viewable: r.viewable === 1,
    updatedAt: iso(r.updated_at)!,
    contentUrl: `/api/provider/v1/files/${r.id}/content/full`,
    thumbnailUrl: r.thumb_sha256 ? `/api/provider/v1/files/${r.id}/content/thumb` : null,
  };
}

/** A download name that is safe in a header: ASCII fallback plus the UTF-8 original (RFC 6266). */
function disposition(kind: 'inline' | 'attachment', name: string, contentType: string): string {
  const base = contentType === 'image/jpeg' ? name.replace(/\.[^.]*$/, '') + '.jpg' : name;
  const ascii = base.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

/**
 * The bytes of a file: its sniffed (or re-encoded) type, never sniffed again by the browser,
 * inline for images and as an attachment for documents, privately cacheable for `maxAge`
 * seconds, and sandboxed so that even a document opened directly runs nothing.
 */
export async function serveFile(c: Context, files: Files, r: FileRow, variant: FileVariant, o: { download: boolean; maxAge: number }): Promise<Response> {
  const key = variant === 'thumb' ? r.thumb_sha256 : r.sha256;
  const object = key ? await files.store.read(key) : null;
  if (!object) throw new ApiError(404, 'not_found', 'No such file.');
  const inline = r.kind === 'photo' && !o.download;
  return completeResponse(c, object.body, {
    'Content-Type': r.content_type,
    'Content-Length': String(object.size),
    'Content-Disposition': disposition(inline ? 'inline' : 'attachment', r.original_name, r.content_type),
    'Cache-Control': `private, max-age=${Math.max(0, o.maxAge)}`,
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    // Shown by <img> on the provider's own site, another origin.
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ETag: `"${key}"`,
  });
}
