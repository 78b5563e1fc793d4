import { Hono } from 'hono';
import type { Deps, PortalEnv } from '../deps.js';
import { documented, errors } from '../http/openapi.js';
import { cacheableJson, cacheableText, cachedRead } from '../http/response-cache.js';
import { idParam, jsonBody, query } from '../http/validate.js';
import { reach, viewerOf } from '../permissions.js';
import { requireSession } from '../sessions/require-session.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { createJobFromPortal, getJob, listJobs, updateJobFromPortal } from './data.js';
import { providerJob } from './provider-data.js';
import { JobCreateBody, JobDetailSchema, JobListQuery, JobPageSchema, JobUpdateBody, type JobDetail } from './schemas.js';
import { publishJob } from '../live/publish.js';

const auth = 'session' as const;

/** The contact's jobs; every query scoped by the contact's permissions in the data functions. */
export function jobPortalRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    // '/jobs/*' also matches '/jobs' itself.
    .use('/jobs/*', requireSession(deps))
    .get(
      '/jobs',
      documented({
        summary: "One page of the contact's jobs (own or all of the company, per permission); search, status filter, sort, keyset paging",
        auth,
        responses: { 200: JobPageSchema, ...errors(400, 401, 403) },
      }),
      // Everyone who sees all of their company's jobs gets the same page for the same URL (a job
      // summary says nothing of the viewer): they share one cached answer. Own-jobs viewers do not.
      cachedRead(deps.cache, (c) => (reach(c.get('contact').perm_jobs) === 'all' ? `company:${c.get('contact').company_id}` : null)),
      query(JobListQuery),
      (c) => {
        const viewer = viewerOf(c.get('contact'));
        // The company's job summaries as JSON, at the version the session read: what a page missing
        // from the cache is put together from (a job summary says nothing of the viewer either).
        const kept = deps.cache.fragments(`jobs ${viewer.providerId} ${viewer.companyId}`, c.get('session').version);
        return cacheableText(c, listJobs(db, viewer, c.req.valid('query'), kept));
      },
    )
    .post(
      '/jobs',
      documented({ summary: 'Create a job (status requested, from the portal); needs "create jobs"', auth, responses: { 201: JobDetailSchema, ...errors(400, 401, 403, 415) } }),
      jsonBody(JobCreateBody),
      (c) => {
        const viewer = viewerOf(c.get('contact'));
        // The job and its webhook event commit together: no event for a rolled-back job, no job without its event.
        const job = db.transaction(() => {
          const created = createJobFromPortal(db, viewer, c.req.valid('json'));
          emitWebhook(db, viewer.providerId, 'job.created', { job: providerJob(db, viewer.providerId, created.id) });
          publishJob(db, viewer.providerId, created.id, null);
          return created;
        })();
        return c.json<JobDetail, 201>(job, 201);
      },
    )
    .get(
      '/jobs/:id',
      documented({ summary: 'A job with its timeline', auth, responses: { 200: JobDetailSchema, ...errors(400, 401, 403, 404) } }),
      cachedRead(deps.cache),
      idParam,
      (c) => cacheableJson<JobDetail>(c, getJob(db, viewerOf(c.get('contact')), c.req.valid('param').id)),
    )
    .patch(
      '/jobs/:id',
      documented({ summary: 'Edit a job the contact may edit, while it is open', auth, responses: { 200: JobDetailSchema, ...errors(400, 401, 403, 404, 409, 415) } }),
      idParam,
      jsonBody(JobUpdateBody),
      (c) => {
        const viewer = viewerOf(c.get('contact'));
        const changes = c.req.valid('json');
        const job = db.transaction(() => {
          const { job: updated, changed } = updateJobFromPortal(db, viewer, c.req.valid('param').id, changes);
          // An edit that changed nothing is not news: no event.
          if (changed.length) emitWebhook(db, viewer.providerId, 'job.updated', { job: providerJob(db, viewer.providerId, updated.id), changed });
          if (changed.length) publishJob(db, viewer.providerId, updated.id, changed);
          return updated;
        })();
        return c.json<JobDetail, 200>(job, 200);
      },
    );
}
