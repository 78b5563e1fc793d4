/**
 * Customer routes for job files: list a job's viewable files, add photos (raw body), delete
 * one's own, and serve bytes to signed URLs (no session: an <img> cannot send one).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { getContact } from '../companies/data.js';
import { providerJob } from '../jobs/provider-data.js';
import { ApiError } from '../http/errors.js';
import { documented, errors } from '../http/openapi.js';
import { idParam, pathParams, query } from '../http/validate.js';
import { notFound, viewerOf } from '../permissions.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { jobForViewer, listViewableFiles, markDeleted, ownUpload, uploadRefusal, viewableFile } from './data.js';
import { FileVariantParams, JobFile, JobFileList, JobFileParams, PortalUploadQuery, SignedQuery } from './schemas.js';
import { apiOrigin, serveFile, toJobFile, toProviderFile } from './views.js';

/** A handler's context with what its validators checked (spelled out: inference stops at two validators plus documented()). */
type Checked<Out extends object> = Context<PortalEnv, string, { out: Out }>;
type Id = { id: number };

export function filePortalRoutes(deps: Deps) {
  const { db, files } = deps;
  const session = requireSession(deps);
  // The job routes' session check may already have run for /jobs/*: validate once.
  const signedIn: MiddlewareHandler<PortalEnv> = (c, next) => (c.get('session') ? next() : session(c, next));
  const base = (c: Context<PortalEnv>): string =>
    `${apiOrigin(c, deps.settings.publicUrl)}/api/portal/${c.get('provider').slug}`;

  return new Hono<PortalEnv>()
    .use('/jobs/:id/files', signedIn)
    .use('/jobs/:id/files/*', signedIn)
    .get(
      '/jobs/:id/files',
      documented({
        summary: "A job's files the contact may see (the office's once marked viewable, and customers' photos), with signed URLs",
        auth: 'session',
        responses: { 200: JobFileList, ...errors(400, 401, 403, 404) },
      }),
      idParam,
      (c) => {
        const viewer = viewerOf(c.get('contact'));
        const jobId = c.req.valid('param').id;
        const job = jobForViewer(db, viewer, jobId);
        const items = listViewableFiles(db, viewer, jobId).map((r) => toJobFile(files, r, viewer, base(c)));
        return c.json<JobFileList>({ items, canUpload: uploadRefusal(viewer, job) === null, maxFileBytes: files.limits.maxFileBytes });
      },
    )
    .post(
      '/jobs/:id/files',
      documented({
        summary: 'Add a photo to a job the contact requested in the portal: the body is the file (JPEG, PNG, WebP, HEIC; re-encoded, metadata removed)',
        description:
          'The bytes are the body (any Content-Type; the type is read from the bytes), the name and caption are query parameters. ' +
          'Sending the same photo again answers 200 with the file already there.',
        auth: 'session',
        rawBody: { content: 'application/octet-stream', description: 'The photo' },
        responses: { 201: JobFile, 200: JobFile, ...errors(400, 401, 403, 404, 409, 413), 415: 'Not a photo type we accept, or unreadable' },
      }),
      idParam,
      query(PortalUploadQuery),
      async (c: Checked<{ param: Id; query: z.output<typeof PortalUploadQuery> }>) => {
        const viewer = viewerOf(c.get('contact'));
        const job = jobForViewer(db, viewer, c.req.valid('param').id);
        const refusal = uploadRefusal(viewer, job);
        if (refusal) throw refusal;
        const q = c.req.valid('query');
        const { row, created } = await files.intake(c.req.raw.body, {
          job: { providerId: viewer.providerId, companyId: viewer.companyId, id: job.id },
          name: q.name,
          caption: q.caption,
          addedBy: 'customer',
          contactId: viewer.contactId,
          // A customer's own photo is for everyone who may see the job.
          viewable: true,
          documents: false,
          recorded: (r) => emitWebhook(db, viewer.providerId, 'job.file_added', { file: toProviderFile(r), job: providerJob(db, viewer.providerId, job.id) }),
        });
        return c.json<JobFile>(toJobFile(files, row, viewer, base(c)), created ? 201 : 200);
      },
    )
    .delete(
      '/jobs/:id/files/:fileId',
      documented({ summary: "Delete one of the contact's own uploads", auth: 'session', responses: { 204: 'Deleted', ...errors(400, 401, 403, 404) } }),
      pathParams(JobFileParams),
      async (c: Checked<{ param: z.output<typeof JobFileParams> }>) => {
        const viewer = viewerOf(c.get('contact'));
        const { id, fileId } = c.req.valid('param');
        const row = ownUpload(db, viewer, id, fileId);
        markDeleted(db, viewer.providerId, row.id);
        await files.release([row.sha256, row.thumb_sha256]);
        return c.body(null, 204);
      },
    )
    .get(
      '/files/:id/:variant',
      documented({
        summary: "A file's bytes, for a signed URL from the file list (no session: <img> and links use it directly)",
        description: 'Refused (403) when the signature does not match or the URL expired; 404 when the contact may no longer see the file.',
        responses: {
          200: { description: 'The bytes, with their type; inline for photos, attachment for documents', content: 'application/octet-stream' },
          ...errors(400, 403, 404),
        },
      }),
      pathParams(FileVariantParams),
      query(SignedQuery),
      async (c: Checked<{ param: z.output<typeof FileVariantParams>; query: z.output<typeof SignedQuery> }>) => {
        const provider = c.get('provider');
        const { id, variant } = c.req.valid('param');
        const q = c.req.valid('query');
        const verdict = files.signer.verify({ providerId: provider.id, fileId: id, variant, contactId: q.c }, q.e, q.s);
        if (verdict === 'invalid') throw new ApiError(403, 'invalid_signature', 'This file link is not valid.');
        if (verdict === 'expired') throw new ApiError(403, 'link_expired', 'This file link has expired. Reload the page to get a new one.');
        const contact = getContact(db, provider.id, q.c);
        const row = contact && !contact.disabled ? viewableFile(db, viewerOf(contact), id) : undefined;
        if (!row) throw notFound('file');
        return serveFile(c, files, row, variant, { download: q.download === '1', maxAge: q.e - Math.floor(Date.now() / 1000) });
      },
    );
}
