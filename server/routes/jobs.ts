import { Hono } from 'hono';
import { createJobFromPortal, getJob, listJobs, updateJobFromPortal } from '../data/jobs.js';
import { officeJob } from '../data/office.js';
import { cacheableJson, cachedRead } from '../http/response-cache.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { viewerOf } from '../permissions.js';
import { JobCreateBody, JobListQuery, JobUpdateBody, type JobDetail, type JobSummary, type Page } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';
import { publishJob } from '../live/publish.js';

/** The contact's jobs; every query scoped by src/permissions through the data functions. */
export function jobRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    // '/jobs/*' also matches '/jobs' itself.
    .use('/jobs/*', requireSession(deps))
    .get('/jobs', cachedRead(deps.cache), query(JobListQuery), (c) =>
      cacheableJson<Page<JobSummary>>(c, listJobs(db, viewerOf(c.get('contact')), c.req.valid('query'))),
    )
    .post('/jobs', jsonBody(JobCreateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      // The job and its webhook event commit together: no event for a rolled-back job, no job without its event.
      const job = db.transaction(() => {
        const created = createJobFromPortal(db, viewer, c.req.valid('json'));
        emitWebhook(db, viewer.providerId, 'job.created', { job: officeJob(db, viewer.providerId, created.id) });
        publishJob(db, viewer.providerId, created.id, null);
        return created;
      })();
      return c.json<JobDetail>(job, 201);
    })
    .get('/jobs/:id', cachedRead(deps.cache), idParam, (c) =>
      cacheableJson<JobDetail>(c, getJob(db, viewerOf(c.get('contact')), c.req.valid('param').id)),
    )
    .patch('/jobs/:id', idParam, jsonBody(JobUpdateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      const changes = c.req.valid('json');
      const job = db.transaction(() => {
        const { job: updated, changed } = updateJobFromPortal(db, viewer, c.req.valid('param').id, changes);
        // An edit that changed nothing is not news: no event.
        if (changed.length) emitWebhook(db, viewer.providerId, 'job.updated', { job: officeJob(db, viewer.providerId, updated.id), changed });
        if (changed.length) publishJob(db, viewer.providerId, updated.id, changed);
        return updated;
      })();
      return c.json<JobDetail>(job);
    });
}
