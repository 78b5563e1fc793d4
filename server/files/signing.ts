/**
 * Signed file URLs. An <img> on the provider's site cannot send the session token, so the URL
 * itself carries the proof: an HMAC over the provider, file, variant, the contact it was issued
 * to and its expiry. Expiries are rounded up to a window, so a list loaded twice within it gives
 * the same URLs and the browser's cache keeps working.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileVariant } from './schemas.js';

export interface UrlSubject {
  providerId: number;
  fileId: number;
  variant: FileVariant;
  contactId: number;
}

export type Verdict = 'ok' | 'expired' | 'invalid';

export class UrlSigner {
  constructor(
    private readonly key: () => Buffer,
    private readonly ttlMs: number,
  ) {}

  /** When URLs issued now expire, in seconds: at least the TTL from now, at most a third more. */
  expiry(now = Date.now()): number {
    const window = Math.max(1, Math.floor(this.ttlMs / 3000));
    return Math.ceil((now + this.ttlMs) / 1000 / window) * window;
  }

  sign(s: UrlSubject, expires: number): string {
    return createHmac('sha256', this.key()).update(`file-url|v1|${s.providerId}|${s.fileId}|${s.variant}|${s.contactId}|${expires}`).digest('base64url');
  }

  verify(s: UrlSubject, expires: number, signature: string, now = Date.now()): Verdict {
    const expected = Buffer.from(this.sign(s, expires));
    const given = Buffer.from(signature);
    // A valid signature proves the expiry is ours, so it is checked first: a forged URL learns nothing.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 <= now ? 'expired' : 'ok';
  }
}
