import { Hono } from 'hono';
import { completeStream } from '../http/api-middleware.js';
import { ApiError } from '../http/errors.js';
import { documented, errors } from '../http/openapi.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import { LastEventId, LiveEvent } from './schemas.js';

/**
 * GET live: the contact's server-sent events. The browser reads it with fetch (not EventSource),
 * so the session token travels in the Authorization header as on every other route, never in a URL.
 */
export function livePortalRoutes(deps: Deps) {
  return new Hono<PortalEnv>().get(
    '/live',
    documented({
      summary: "Live updates: server-sent events filtered by the contact's permissions",
      description:
        'text/event-stream. Each event: `id`, `event` (its type) and `data` (a LiveEvent). Send `Last-Event-ID` to resume: missed events are replayed once, or a `reload` event says to refetch. `ready` opens each stream, `end` closes it for good (session ended). A comment line every heartbeat keeps proxies from closing it.',
      auth: 'session',
      responses: { 200: { description: 'The event stream', schema: LiveEvent, content: 'text/event-stream' }, ...errors(400, 401, 503) },
    }),
    requireSession(deps),
    (c) => {
      const header = c.req.header('last-event-id');
      let lastEventId: number | null = null;
      if (header !== undefined && header !== '') {
        const parsed = LastEventId.safeParse(header);
        if (!parsed.success) {
          const problem = parsed.error.issues[0]?.message ?? 'is not valid';
          throw new ApiError(400, 'validation_failed', `Invalid header: Last-Event-ID: ${problem}`, { 'Last-Event-ID': problem });
        }
        lastEventId = parsed.data;
      }
      const body = deps.live.open({ session: c.get('session'), providerMap: c.get('provider').features.map, lastEventId });
      return completeStream(c, body, {
        ...c.get('cors'),
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      });
    },
  );
}
