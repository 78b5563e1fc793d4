import { Hono } from 'hono';
import { createJobFromPortal, getJob, listJobs, updateJobFromPortal } from '../data/jobs.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import { JobCreateBody, JobListQuery, JobUpdateBody, type JobDetail, type JobSummary, type Page } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';

/** The contact's jobs; every query scoped by src/permissions through the data functions. */
export function jobRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    // '/jobs/*' also matches '/jobs' itself.
    .use('/jobs/*', requireSession(deps))
    .get('/jobs', query(JobListQuery), (c) => c.json<Page<JobSummary>>(listJobs(db, viewerOf(c.get('contact')), c.req.valid('query'))))
    .post('/jobs', jsonBody(JobCreateBody), (c) => c.json<JobDetail>(createJobFromPortal(db, viewerOf(c.get('contact')), c.req.valid('json')), 201))
    .get('/jobs/:id', idParam, (c) => c.json<JobDetail>(getJob(db, viewerOf(c.get('contact')), c.req.valid('param').id)))
    .patch('/jobs/:id', idParam, jsonBody(JobUpdateBody), (c) =>
      c.json<JobDetail>(updateJobFromPortal(db, viewerOf(c.get('contact')), c.req.valid('param').id, c.req.valid('json'))),
    );
}
