/** Provider routes for job files: add (hidden by default), list with visibility, show or hide, caption, delete, bytes. */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { jobRow } from '../jobs/provider-data.js';
import { documented, errors } from '../http/openapi.js';
import { idParam, jsonBody, pathParams, query } from '../http/validate.js';
import type { Deps } from '../deps.js';
import type { ProviderEnv } from '../deps.js';
import { markDeleted } from './data.js';
import { listFilesForProvider, providerFileRow, updateFileForProvider } from './provider-data.js';
import { FileUpdateBody, FileVariantParams, ProviderFile, ProviderFileList, ProviderUploadQuery } from './schemas.js';
import { serveFile, toProviderFile } from './views.js';

/** A handler's context with what its validators checked (spelled out: inference stops at two validators plus documented()). */
type Checked<Out extends object> = Context<ProviderEnv, string, { out: Out }>;
type Id = { id: number };

export function fileProviderRoutes(deps: Deps) {
  const { db, files } = deps;
  return new Hono<ProviderEnv>()
    .get(
      '/jobs/:id/files',
      documented({ summary: "A job's files with their visibility (hidden ones included)", auth: 'apiKey', responses: { 200: ProviderFileList, ...errors(400, 401, 404) } }),
      idParam,
      (c) => c.json({ items: listFilesForProvider(db, c.get('provider').id, c.req.valid('param').id).map(toProviderFile) }),
    )
    .post(
      '/jobs/:id/files',
      documented({
        summary: 'Add a photo or PDF to a job; hidden from the portal until marked viewable (or sent with viewable=true)',
        description:
          'The bytes are the body (any Content-Type; the type is read from the bytes: JPEG, PNG, WebP, HEIC, PDF). Photos are re-encoded with their metadata removed. ' +
          'Idempotency-Key is not used here: sending the same bytes to the same job again answers 200 with the file already there.',
        auth: 'apiKey',
        rawBody: { content: 'application/octet-stream', description: 'The file' },
        responses: { 201: ProviderFile, 200: ProviderFile, ...errors(400, 401, 404, 409, 413), 415: 'Not a type we accept, or unreadable' },
      }),
      idParam,
      query(ProviderUploadQuery),
      async (c: Checked<{ param: Id; query: z.output<typeof ProviderUploadQuery> }>) => {
        const providerId = c.get('provider').id;
        const job = jobRow(db, providerId, c.req.valid('param').id);
        const q = c.req.valid('query');
        const { row, created } = await files.intake(c.req.raw.body, {
          job: { providerId, companyId: job.company_id, id: job.id },
          name: q.name,
          caption: q.caption,
          addedBy: 'office',
          contactId: null,
          viewable: q.viewable,
          documents: true,
        });
        return c.json<ProviderFile>(toProviderFile(row), created ? 201 : 200);
      },
    )
    .patch(
      '/files/:id',
      documented({ summary: 'Mark a file viewable in the customer portal or hidden, and set its caption (alt text)', auth: 'apiKey', responses: { 200: ProviderFile, ...errors(400, 401, 404, 415) } }),
      idParam,
      jsonBody(FileUpdateBody),
      (c: Checked<{ param: Id; json: z.output<typeof FileUpdateBody> }>) => {
        const { row, madeViewable } = updateFileForProvider(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'));
        if (madeViewable) files.madeViewable(row);
        return c.json<ProviderFile>(toProviderFile(row));
      },
    )
    .delete(
      '/files/:id',
      documented({ summary: 'Delete a file (customers no longer see it; its bytes are removed)', auth: 'apiKey', responses: { 204: 'Deleted', ...errors(400, 401, 404) } }),
      idParam,
      async (c) => {
        const row = providerFileRow(db, c.get('provider').id, c.req.valid('param').id);
        markDeleted(db, row.provider_id, row.id);
        await files.release([row.sha256, row.thumb_sha256]);
        return c.body(null, 204);
      },
    )
    .get(
      '/files/:id/content/:variant',
      documented({
        summary: "A file's bytes (full, or the photo's thumbnail)",
        auth: 'apiKey',
        responses: { 200: { description: 'The bytes, with their type', content: 'application/octet-stream' }, ...errors(400, 401, 404) },
      }),
      pathParams(FileVariantParams),
      (c: Checked<{ param: z.output<typeof FileVariantParams> }>) => {
        const { id, variant } = c.req.valid('param');
        return serveFile(c, files, providerFileRow(db, c.get('provider').id, id), variant, { download: false, maxAge: 0 });
      },
    );
}
