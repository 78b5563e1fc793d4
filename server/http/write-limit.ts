import type { Context } from 'hono';
import { tooMany } from './ip-limit.js';
import type { Limiter } from './rate-limit.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes of the customer API, per contact and per provider: each write can cost a webhook
 * delivery per endpoint and rows that stay, so one contact (or one provider's customers
 * together) cannot fill the database or the provider's receiver. Only writes that succeed
 * count (a refused one wrote nothing); over either limit, every write is refused up front with
 * 429 and Retry-After. Runs the rest of the request (`next`): called by requireSession, where
 * the contact is known.
 */
export async function writeLimit(
  c: Context,
  limits: { contactWrites: Limiter; providerWrites: Limiter },
  next: () => Promise<void>,
): Promise<void> {
  if (READS.has(c.req.method)) return next();
  const contact = c.get('contact') as { id: number; provider_id: number };
  const contactKey = String(contact.id);
  const providerKey = String(contact.provider_id);
  // Both checked before either counts, so a write refused by one limit is not charged to the other.
  const wait = Math.max(await limits.contactWrites.retryAfter(contactKey), await limits.providerWrites.retryAfter(providerKey));
  if (wait > 0) throw tooMany(wait);
  await next();
  if (c.res.status >= 400) return;
  await limits.contactWrites.record(contactKey);
  await limits.providerWrites.record(providerKey);
}
