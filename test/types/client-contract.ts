/**
 * Type-level tests, checked by `tsc` in `npm test` (never run): the widget's client can only call
 * routes the server defines, with the methods they answer, and gets the types they answer with.
 * Each @ts-expect-error fails the type check if the mistake below it ever compiles.
 */
import type { JobDetail } from '../../server/jobs/schemas.js';
import { PortalClient } from '../../widget/api/client.js';

export function clientContract(client: PortalClient): void {
  const request = client['request'].bind(client);
  // @ts-expect-error: no such route on the server
  void request('GET', '/jobz');
  // @ts-expect-error: /jobs/:id answers GET and PATCH, not DELETE
  void request('DELETE', '/jobs/:id', { params: { id: 1 } });
  // @ts-expect-error: the path's :id must be filled with a number
  void request('GET', '/jobs/:id', { params: { job: 1 } });
  // The answer type is the route's own.
  const job: Promise<JobDetail> = request('GET', '/jobs/:id', { params: { id: 1 } });
  // @ts-expect-error: a job detail has no `priceCents`
  void job.then((j) => j.priceCents);
  // @ts-expect-error: DELETE /session answers 204, nothing
  void request('DELETE', '/session').then((nothing) => nothing.token);
}
