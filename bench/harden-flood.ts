/**
 * The flood's load generator as its own process (forked by bench/harden.ts), so generating
 * 200,000 requests does not slow the process that times the customer's reads.
 * argv[2]: JSON { url, path, amount, connections, rate? }; answers one FloodResult over IPC.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

export interface FloodResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
}

const o = JSON.parse(process.argv[2]!) as { url: string; path: string; amount: number; connections: number; rate?: number };
const octet = (): number => Math.floor(Math.random() * 256);
const started = performance.now();
const r = await autocannon({
  url: o.url,
  connections: o.connections,
  amount: o.amount,
  ...(o.rate ? { overallRate: o.rate } : {}),
  timeout: 10,
  requests: [
    {
      method: 'POST',
      path: o.path,
      // A new client address and a new token each time: no limiter key is ever hit twice.
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'content-type': 'application/json', 'x-forwarded-for': `${10 + Math.floor(Math.random() * 200)}.${octet()}.${octet()}.${octet()}` },
        body: JSON.stringify({ token: randomBytes(32).toString('base64url'), password: 'a long enough new password' }),
      }),
    },
  ],
});
process.send!({
  requests: r.requests.total,
  seconds: (performance.now() - started) / 1000,
  p50: r.latency.p50,
  p99: r.latency.p99,
  statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
  errors: r.errors + r.timeouts,
} satisfies FloodResult);
process.disconnect();
