import { Hono } from 'hono';
import { insertJob } from '../../data/jobs.js';
import { queueNewJobAlerts } from '../../alerts/outbox.js';
import { addJobNote, listJobsOffice, officeJob, recordPosition, requireCompany, requireContactOf, updateJobOffice } from '../../data/office.js';
import { nowSeconds } from '../../db/index.js';
import { ApiError } from '../../http/errors.js';
import { idParam, jsonBody, query } from '../../http/validate.js';
import { JobCreate, JobNote, JobUpdate, Position, SyncQuery } from '../../provider-schemas.js';
import type { Deps } from '../env.js';
import type { ProviderEnv } from './env.js';

export function jobRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .get('/jobs', query(SyncQuery), (c) => c.json(listJobsOffice(db, c.get('provider').id, c.req.valid('query'))))
    .post('/jobs', jsonBody(JobCreate), (c) => {
      const provider = c.get('provider');
      const b = c.req.valid('json');
      requireCompany(db, provider.id, b.companyId);
      if (b.contactId !== undefined) requireContactOf(db, provider.id, b.companyId, b.contactId);
      if ((b.latitude === undefined) !== (b.longitude === undefined)) {
        throw new ApiError(400, 'validation_failed', 'latitude and longitude go together.', { latitude: 'latitude and longitude go together' });
      }
      let id: number;
      try {
        id = db.transaction(() => queueNewJobAlerts(db, provider.id, insertJob(db, provider.id, { ...b, source: 'office', contactId: b.contactId ?? null })))();
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new ApiError(409, 'job_number_taken', `Job number ${b.number} is already used.`, { number: 'already used' });
        }
        throw e;
      }
      return c.json(officeJob(db, provider.id, id), 201);
    })
    .get('/jobs/:id', idParam, (c) => c.json(officeJob(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/jobs/:id', idParam, jsonBody(JobUpdate), (c) => c.json(updateJobOffice(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))))
    .post('/jobs/:id/notes', idParam, jsonBody(JobNote), (c) =>
      c.json(addJobNote(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json').message), 201),
    )
    .post('/jobs/:id/position', idParam, jsonBody(Position), (c) => {
      const b = c.req.valid('json');
      return c.json(recordPosition(db, c.get('provider').id, c.req.valid('param').id, b.latitude, b.longitude, b.at ?? nowSeconds()), 201);
    });
}
