/**
 * POST /api/sms/inbound: messages people send back to the SMS gateway's number. "STOP" (and
 * its usual synonyms) turns SMS alerts off for that number at every provider; "START" allows
 * them again. The gateway proves it sent the request with a signature over the body:
 *
 * - JSON `{ "from": "+1…", "text": "STOP" }` signed like our webhooks:
 *   `Portal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (5 minutes' tolerance);
 * - Twilio's form post (`From`, `Body`) with `X-Twilio-Signature`: base64 HMAC-SHA1 with the
 *   secret over the public URL followed by every parameter name and value, sorted by name.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { setPhoneStopped } from '../alerts/data.js';
import { E164 } from '../alerts/schemas.js';
import { ApiError } from '../http/errors.js';
import { documented, errors } from '../http/openapi.js';
import type { Deps } from '../deps.js';
import { sign } from '../webhooks/deliverer.js';
import { z } from 'zod';

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const START = new Set(['START', 'UNSTOP', 'YES']);
const TOLERANCE_SECONDS = 300;

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function jsonSignatureOk(secret: string, header: string, body: string, now: number): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m || Math.abs(now - Number(m[1])) > TOLERANCE_SECONDS) return false;
  return same(sign(secret, Number(m[1]), body), header);
}

export function twilioSignature(secret: string, url: string, params: URLSearchParams): string {
  const sorted = [...params.keys()].sort().map((k) => k + (params.get(k) ?? '')).join('');
  return createHmac('sha1', secret).update(url + sorted).digest('base64');
}

const Inbound = z.object({ from: E164, text: z.string().max(2000) });
const Answer = z.object({ numbersUpdated: z.number().int(), action: z.enum(['stop', 'start', 'none']) }).meta({ id: 'SmsInboundAnswer' });

export function smsInboundRoutes(deps: Deps) {
  return new Hono().post(
    '/inbound',
    documented({ summary: 'Inbound SMS from the gateway (STOP/START), signed', tags: ['sms'], responses: { 200: Answer, ...errors(400, 401, 404) } }),
    async (c) => {
      const secret = deps.settings.smsInboundSecret;
      if (!secret) throw new ApiError(404, 'not_found', 'No SMS gateway is configured.');
      const raw = await c.req.text();
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      let message: { from: unknown; text: unknown };
      if (type === 'application/x-www-form-urlencoded') {
        const params = new URLSearchParams(raw);
        const url = `${(deps.settings.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '')}/api/sms/inbound`;
        if (!same(twilioSignature(secret, url, params), c.req.header('x-twilio-signature') ?? '')) throw new ApiError(401, 'bad_signature', 'The signature does not match.');
        message = { from: params.get('From'), text: params.get('Body') ?? '' };
      } else {
        if (!jsonSignatureOk(secret, c.req.header('portal-signature') ?? '', raw, Math.floor(Date.now() / 1000))) throw new ApiError(401, 'bad_signature', 'The signature does not match or is too old.');
        try {
          message = JSON.parse(raw) as { from: unknown; text: unknown };
        } catch {
          throw new ApiError(400, 'invalid_json', 'The body is not JSON.');
        }
      }
      const parsed = Inbound.safeParse(message);
      if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Expected a sender in international form and a text.', { from: 'must be a phone number like +15551234567' });
      const word = parsed.data.text.trim().toUpperCase();
      const action = STOP.has(word) ? 'stop' : START.has(word) ? 'start' : 'none';
      const numbersUpdated = action === 'none' ? 0 : setPhoneStopped(deps.db, parsed.data.from, action === 'stop');
      if (type === 'application/x-www-form-urlencoded') return c.body('<Response/>', 200, { 'Content-Type': 'text/xml' });
      return c.json({ numbersUpdated, action });
    },
  );
}
