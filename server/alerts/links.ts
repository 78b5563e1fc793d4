/**
 * Links in alert messages: the job or quote's view in the portal, and the signed one-click
 * unsubscribe link (it works without a login, so it carries its own proof: an HMAC with the
 * provider's key over what it unsubscribes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Provider } from '../providers/data.js';

/** The provider's portal page (its setting, else its first allowed origin), without a fragment. */
export function portalPage(provider: Provider): string | null {
  const page = provider.portalUrl ?? provider.allowedOrigins[0] ?? null;
  return page ? page.replace(/#.*$/, '') : null;
}

/** `<portal page>#portal/jobs/<id>`: opens that job's view (the portal's views are addressable by hash). */
export function viewLink(provider: Provider, what: 'jobs' | 'quotes', id: number): string | null {
  const page = portalPage(provider);
  return page ? `${page}#portal/${what}/${id}` : null;
}

const mac = (secret: string, purpose: string, providerId: number, id: number): string =>
  createHmac('sha256', secret).update(`${purpose}:${providerId}:${id}`).digest('base64url').slice(0, 32);

/** `<destination id>.<mac>`: names the address to unsubscribe and proves the link came from us. */
export function signedToken(secret: string, purpose: 'unsubscribe', providerId: number, destinationId: number): string {
  return `${destinationId}.${mac(secret, purpose, providerId, destinationId)}`;
}

/** The destination id a token names, or null when it is malformed or its MAC does not match. */
export function readSignedToken(secret: string, purpose: 'unsubscribe', providerId: number, token: string): number | null {
  const m = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const expected = Buffer.from(mac(secret, purpose, providerId, id));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

export function unsubscribeUrl(publicUrl: string | undefined, provider: Provider, token: string): string | null {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/api/portal/${provider.slug}/alert-links/unsubscribe/${token}` : null;
}

export function confirmUrl(publicUrl: string | undefined, provider: Provider, token: string): string | null {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/api/portal/${provider.slug}/alert-links/confirm/${token}` : null;
}
