import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { stmt } from '../db/index.js';
import { clientIp } from '../http/client-ip.js';
import { ApiError } from '../http/errors.js';
import { isLoopbackHost } from '../http/host.js';
import { MailboxSchema, type MailboxEntry } from './schemas.js';
import type { Deps } from '../deps.js';
import { keptSms } from '../alerts/provider-data.js';

interface Row {
  id: number;
  slug: string;
  recipient: string;
  subject: string;
  kind: string;
  text_body: string;
  status: string;
  created_at: number;
}

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;

/**
 * The demo mailbox: mail kept in the local outbox when no SMTP server is configured, so the
 * invitation and reset flows can be tried on one machine. It holds live one-time links, so
 * it answers only requests from this machine, and exists only when the demo asks for it
 * (`npm start` with demo data) and no SMTP server is configured.
 */
export function mailboxRoutes(deps: Deps) {
  return new Hono().get('/mailbox', documented({ summary: 'Demo mailbox: mail kept locally (served only to this machine, only without SMTP)', responses: { 200: MailboxSchema, ...errors(403) } }), (c) => {
    // Loopback peers only, and nothing that came through a proxy (which would make every
    // visitor look local).
    const proxied = c.req.header('x-forwarded-for') ?? c.req.header('forwarded') ?? c.req.header('x-real-ip');
    if (proxied !== undefined || !LOOPBACK.test(clientIp(c, false)) || !isLoopbackHost(new URL(c.req.url).host)) {
      throw new ApiError(403, 'forbidden', 'The demo mailbox is only served to this machine.');
    }
    const rows = stmt<[], Row>(
      deps.db,
      `SELECT m.id, p.slug, m.recipient, m.subject, m.kind, m.text_body, m.status, m.created_at
         FROM mail_outbox m JOIN providers p ON p.id = m.provider_id ORDER BY m.id DESC LIMIT 100`,
    ).all();
    c.header('Cache-Control', 'no-store');
    const mail: MailboxEntry[] = rows.map((r) => ({
        id: r.id,
        channel: 'email' as const,
        provider: r.slug,
        to: r.recipient,
        subject: r.subject,
        kind: r.kind,
        text: r.text_body,
        status: r.status,
        createdAt: new Date(r.created_at * 1000).toISOString(),
      }));
    const all = [...mail, ...keptSms(deps.db, 100)].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
    return c.json<MailboxEntry[]>(all.slice(0, 100));
  });
}
