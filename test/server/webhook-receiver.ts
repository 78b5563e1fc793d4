/**
 * A webhook receiver for the tests: a real HTTP server on loopback that keeps every request, raw,
 * and can be told to fail, hang, redirect or answer hugely; and the signature check a receiver makes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowSeconds } from './helpers.js';

export interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it answered; 0 when it never answered. */
  status: number;
}

export interface Receiver {
  url: string;
  hits: Hit[];
  state: {
    /** Answer `failStatus` (default 500) to the next N requests (any path). */
    failNext: number;
    failStatus: number;
    /** Answer 500 to every request to these paths. */
    failPaths: Set<string>;
    mode: 'ok' | 'hang' | 'huge-error' | 'huge-ok' | 'redirect';
    /** Bytes of the huge answer actually handed to the socket. */
    hugeSent: number;
  };
  /** The hits to one path. */
  at(path: string): Hit[];
  close(): Promise<void>;
}

export const HUGE = 256 * 1024 * 1024;

export async function startReceiver(): Promise<Receiver> {
  const hits: Hit[] = [];
  const state: Receiver['state'] = { failNext: 0, failStatus: 500, failPaths: new Set(), mode: 'ok', hugeSent: 0 };
  const huge = (res: ServerResponse, status: number) => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let closed = false;
    res.on('close', () => (closed = true));
    res.writeHead(status, { 'content-type': 'text/plain' });
    const pump = () => {
      while (!closed && state.hugeSent < HUGE) {
        state.hugeSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: Hit = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: 0 };
      hits.push(hit);
      const answer = (status: number, body = '') => {
        hit.status = status;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      };
      if (hit.path.endsWith('/elsewhere')) return answer(200, 'followed');
      if (state.mode === 'hang') return; // never answers
      if (state.mode === 'redirect') {
        hit.status = 302;
        return void res.writeHead(302, { location: `${hit.path}/elsewhere` }).end();
      }
      if (state.mode === 'huge-error') return void ((hit.status = 500), huge(res, 500));
      if (state.mode === 'huge-ok') return void ((hit.status = 200), huge(res, 200));
      if (state.failPaths.has(hit.path)) return answer(500, 'boom');
      if (state.failNext > 0) {
        state.failNext--;
        return answer(state.failStatus, 'boom');
      }
      answer(200, 'ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    state,
    at: (path) => hits.filter((h) => h.path === path),
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** What a receiver does: recompute the HMAC over the raw body, compare in constant time, check the age. */
export function verify(secret: string, signature: string | string[] | undefined, rawBody: string, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(typeof signature === 'string' ? signature : '');
  if (!m) return false;
  if (Math.abs(nowSeconds() - Number(m[1])) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
