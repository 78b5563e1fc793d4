/**
 * One webhook POST over node:http(s), connected only to addresses the target policy allows
 * (checked on the resolved addresses, see target.ts). What comes back is the status and the
 * time it took: the answer's body is never read, so no page behind the URL can be read back
 * through the deliveries list.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, urlProblem, type TargetPolicy } from './target.js';

export type PostResult = { ok: true; status: number; ms: number } | { ok: false; status: number | null; ms: number; problem: string };

/** Fixed reasons only: an error message could carry what the other side said. */
function reason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code ?? '';
  if (code === 'ETARGETREFUSED') return 'refused: the name resolves to an address that may not be called';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'name not found';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT') return 'timed out';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (/CERT|SSL|TLS/i.test(code)) return 'TLS handshake failed';
  return 'network error';
}

export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; policy: TargetPolicy }): Promise<PostResult> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  const refused = urlProblem(url, options.policy);
  if (refused) return Promise.resolve({ ok: false, status: null, ms: 0, problem: `refused: the URL ${refused}` });
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = send(
      {
        protocol: u.protocol,
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || undefined,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.policy),
        agent: false,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // The status is all we need; stop the download of whatever the body is.
        res.destroy();
        req.destroy();
        settle(status >= 200 && status < 300 ? { ok: true, status, ms: ms() } : { ok: false, status, ms: ms(), problem: `HTTP ${status}` });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      settle({ ok: false, status: null, ms: ms(), problem: 'timed out' });
    }, options.timeoutMs);
    req.on('error', (error) => settle({ ok: false, status: null, ms: ms(), problem: reason(error) }));
    req.end(body);
  });
}
