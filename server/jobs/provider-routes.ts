import { Hono } from 'hono';
import { requireCompany, requireContactOf } from '../companies/provider-data.js';
import { nowSeconds } from '../db/index.js';
import type { Deps, ProviderEnv } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { SyncQuery } from '../http/fields.js';
import { documented, errors } from '../http/openapi.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { insertJob } from './data.js';
import { addJobNote, listProviderJobs, providerJob, recordPosition, updateProviderJob } from './provider-data.js';
import { JobCreate, JobNote, JobUpdate, Position, PositionSchema, ProviderJobDetailSchema, ProviderJobPageSchema } from './schemas.js';
import { publishJob } from '../live/publish.js';
import { queueNewJobAlerts } from '../alerts/outbox.js';

const auth = 'apiKey' as const;

export function jobProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get(
      '/jobs',
      documented({ summary: 'Jobs changed since a time (portal-made jobs included), oldest first, for syncing', auth, responses: { 200: ProviderJobPageSchema, ...errors(400, 401) } }),
      query(SyncQuery),
      (c) => c.json(listProviderJobs(db, c.get('provider').id, c.req.valid('query'))),
    )
    .post(
      '/jobs',
      documented({ summary: 'Create a job for a company', auth, responses: { 201: ProviderJobDetailSchema, ...errors(400, 401, 404, 409, 415) } }),
      jsonBody(JobCreate),
      (c) => {
        const provider = c.get('provider');
        const b = c.req.valid('json');
        requireCompany(db, provider.id, b.companyId);
        if (b.contactId !== undefined) requireContactOf(db, provider.id, b.companyId, b.contactId);
        if ((b.latitude === undefined) !== (b.longitude === undefined)) {
          throw new ApiError(400, 'validation_failed', 'latitude and longitude go together.', { latitude: 'latitude and longitude go together' });
        }
        let id: number;
        try {
          id = db.transaction(() => {
            const created = queueNewJobAlerts(db, provider.id, insertJob(db, provider.id, { ...b, source: 'office', contactId: b.contactId ?? null }));
            publishJob(db, provider.id, created, null);
            return created;
          })();
        } catch (e) {
          if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new ApiError(409, 'job_number_taken', `Job number ${b.number} is already used.`, { number: 'already used' });
          }
          throw e;
        }
        return c.json(providerJob(db, provider.id, id), 201);
      },
    )
    .get(
      '/jobs/:id',
      documented({ summary: 'A job with its timeline', auth, responses: { 200: ProviderJobDetailSchema, ...errors(400, 401, 404) } }),
      idParam,
      (c) => c.json(providerJob(db, c.get('provider').id, c.req.valid('param').id)),
    )
    .patch(
      '/jobs/:id',
      documented({
        summary: "Change a job: status (with a note), schedule, technician, coordinates, details; each change lands on the customer's timeline",
        auth,
        responses: { 200: ProviderJobDetailSchema, ...errors(400, 401, 404, 415) },
      }),
      idParam,
      jsonBody(JobUpdate),
      (c) => c.json(updateProviderJob(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    )
    .post(
      '/jobs/:id/notes',
      documented({ summary: "Add a note to the job's timeline", auth, responses: { 201: ProviderJobDetailSchema, ...errors(400, 401, 404, 415) } }),
      idParam,
      jsonBody(JobNote),
      (c) => c.json(addJobNote(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json').message), 201),
    )
    .post(
      '/jobs/:id/position',
      documented({ summary: "Record the technician's position for a job", auth, responses: { 201: PositionSchema, ...errors(400, 401, 404, 415) } }),
      idParam,
      jsonBody(Position),
      (c) => {
        const b = c.req.valid('json');
        return c.json(recordPosition(db, c.get('provider').id, c.req.valid('param').id, b.latitude, b.longitude, b.at ?? nowSeconds()), 201);
      },
    );
}
