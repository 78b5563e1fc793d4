import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { ipv6Groups } from './ip-address.js';

/**
 * The caller's address; X-Forwarded-For only counts behind a proxy we were told to trust.
 * That proxy appends the address it saw, so only the last entry is trustworthy: earlier ones
 * come from the client and would let it dodge the per-address rate limit.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

/**
 * The rate-limit key of an address: an IPv4 address as is (also when written IPv4-mapped), an
 * IPv6 address by its /64, the smallest block one subscriber is given, so rotating through
 * their own 2^64 addresses does not buy fresh limits.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The caller's rate-limit key (see addressKey). */
export const clientKey = (c: Context, trustProxy: boolean): string => addressKey(clientIp(c, trustProxy));
