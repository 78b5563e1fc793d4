/**
 * Where webhooks may be sent. A provider key chooses the URL, and the server makes the request,
 * so without a check any key could make this server call its own loopback services, the cloud
 * metadata address or the office network behind it (issue 15). Checked when an endpoint is
 * registered and again on every delivery after DNS resolution, on the very addresses the
 * connection then uses, so a name that resolves (or later re-resolves) to a refused address is
 * refused.
 */
import { lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ApiError } from '../http/errors.js';
import { ipv4Number, ipv6Groups } from '../http/ip-address.js';

export type AddressClass = 'public' | 'private' | 'reserved';

/** [first address, prefix length, class] of IPv4 blocks that are not the public internet. */
const V4: [string, number, Exclude<AddressClass, 'public'>][] = [
  ['0.0.0.0', 8, 'reserved'], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT
  ['127.0.0.0', 8, 'private'], // loopback
  ['169.254.0.0', 16, 'reserved'], // link-local: the cloud metadata service lives here
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'reserved'], // multicast
  ['240.0.0.0', 4, 'reserved'], // reserved and broadcast
];
const V4_BLOCKS = V4.map(([base, bits, kind]) => ({ base: ipv4Number(base)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, kind }));

function classifyV4(n: number): AddressClass {
  for (const b of V4_BLOCKS) if (((n & b.mask) >>> 0) === b.base) return b.kind;
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const zeroTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  // Forms that carry an IPv4 address are judged by it: mapped (::ffff:a.b.c.d), compatible
  // (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
  const v4 = (hi: number, lo: number): number => ((hi << 16) >>> 0) + lo;
  if (zeroTo(5) && g[5] === 0xffff) return classifyV4(v4(g[6]!, g[7]!));
  if (zeroTo(7)) return g[7]! <= 1 ? (g[7] === 1 ? 'private' : 'reserved') : 'reserved'; // ::1 loopback, :: unspecified
  if (zeroTo(6)) return classifyV4(v4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0) return classifyV4(v4(g[6]!, g[7]!));
  if (g[0] === 0x2002) return classifyV4(v4(g[1]!, g[2]!));
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return 'reserved'; // link-local, old site-local
  if ((first & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (first === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (first === 0x0100 && zeroTo(4)) return 'reserved'; // discard
  if ((first & 0xe000) !== 0x2000) return 'reserved'; // outside global unicast 2000::/3
  return 'public';
}

/** What kind of network an IP address (v4 or v6, brackets allowed) is on; null when it is no address. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = ipv4Number(ip);
  if (v4 !== null) return classifyV4(v4);
  const groups = ipv6Groups(ip);
  return groups ? classifyV6(groups) : null;
}

export interface TargetPolicy {
  /** Allow private networks and loopback (a self-hosted office system): settings.webhookPrivateTargets. */
  allowPrivate: boolean;
}

/** The reason an address may not be called, or null when it may. Reserved ones never may. */
export function addressProblem(ip: string, policy: TargetPolicy): string | null {
  const kind = classifyAddress(ip);
  if (kind === 'public' || (kind === 'private' && policy.allowPrivate)) return null;
  return kind === 'private'
    ? 'must not point to a private, loopback or internal network address (the operator can allow private networks)'
    : 'must not point to a loopback, link-local, multicast, unspecified or reserved address';
}

// Web ports, and anything unprivileged: not 22, 25 and the other well-known services.
const portAllowed = (port: number): boolean => port === 80 || port === 443 || port >= 1024;

/** The problem with a URL before any DNS: scheme, port, and a host given as an address. */
export function urlProblem(url: string, policy: TargetPolicy): string | null {
  if (!URL.canParse(url)) return 'must be a URL';
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http or https URL';
  if (u.username || u.password) return 'must not contain a user name or password';
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  if (!portAllowed(port)) return 'must use port 80, 443 or a port from 1024 up';
  // The URL parser already turned 2130706433, 0x7f.1 and friends into dotted addresses.
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (classifyAddress(host) !== null) return addressProblem(host, policy);
  return null;
}

/** A DNS lookup for http.request that refuses the connection when any address is not allowed. */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => addressProblem(a.address, policy));
      if (refused || !addresses.length) {
        const e = Object.assign(new Error(`refused address for ${hostname}`), { code: 'ETARGETREFUSED' });
        return callback(e, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The problem with a URL once its name is resolved: every address it resolves to must be allowed. A name that does not resolve now passes (it is checked again on each delivery). */
export async function targetProblem(url: string, policy: TargetPolicy): Promise<string | null> {
  const first = urlProblem(url, policy);
  if (first) return first;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (classifyAddress(host) !== null) return null;
  const addresses = await new Promise<{ address: string }[]>((ok) => lookup(host, { all: true }, (e, a) => ok(e ? [] : a)));
  for (const a of addresses) {
    const problem = addressProblem(a.address, policy);
    if (problem) return problem.replace('must not point to', 'resolves to');
  }
  return null;
}

/** At registration (API and CLI): 400 naming the url field when the target may not be called. */
export async function checkWebhookTarget(url: string, settings: { webhookPrivateTargets: boolean }): Promise<void> {
  const problem = await targetProblem(url, { allowPrivate: settings.webhookPrivateTargets });
  if (problem) throw new ApiError(400, 'validation_failed', `Invalid body: url: ${problem}`, { url: problem });
}
