/**
 * customer-portal's view as a URL: `#portal/jobs/42?q=drain&status=scheduled` in the hash, or the
 * same text in one query parameter (`?portal=jobs%2F42`). The `portal/` prefix keeps it apart from
 * the host page's own routes and from the invitation links (`#portal-invite=`).
 */

/** Where the portal keeps its view: in the hash, in a query parameter, or nowhere. */
export type RouteMode = 'hash' | 'query' | 'none';

export interface PortalRoute {
  /** A tab id; the portal ignores one it does not have. */
  tab: string;
  /** The open job or quote, if any. */
  id: number | null;
  query: string;
  status: string;
}

const HASH_PREFIX = '#portal/';
const PARAM = 'portal';
const SHAPE = /^([a-z-]+)(?:\/(\d{1,15}))?$/;

/** The route in a view's text (`jobs/42?q=…`); null when it is not one. */
function parseText(text: string): PortalRoute | null {
  const [path = '', search = ''] = text.split('?', 2);
  const m = SHAPE.exec(path);
  if (!m) return null;
  const params = new URLSearchParams(search);
  const id = m[2] ? Number(m[2]) : null;
  return { tab: m[1]!, id: id && id > 0 ? id : null, query: params.get('q') ?? '', status: params.get('status') ?? '' };
}

function formatText(route: PortalRoute): string {
  const params = new URLSearchParams();
  if (route.query) params.set('q', route.query);
  if (route.status) params.set('status', route.status);
  const search = params.toString();
  return `${route.tab}${route.id ? `/${route.id}` : ''}${search ? `?${search}` : ''}`;
}

/** The portal's route in a URL, or null when the URL holds none. */
export function readRoute(url: URL, mode: RouteMode): PortalRoute | null {
  if (mode === 'hash') return url.hash.startsWith(HASH_PREFIX) ? parseText(decodeURI(url.hash.slice(HASH_PREFIX.length))) : null;
  if (mode === 'query') {
    const text = url.searchParams.get(PARAM);
    return text ? parseText(text) : null;
  }
  return null;
}

/** The URL with the route put in (or, for null, taken out); the host page's own parts stay as they were. */
export function writeRoute(url: URL, mode: RouteMode, route: PortalRoute | null): URL {
  const next = new URL(url.href);
  if (mode === 'hash') {
    if (route) next.hash = HASH_PREFIX.slice(1) + formatText(route);
    else if (next.hash.startsWith(HASH_PREFIX)) next.hash = '';
  } else if (mode === 'query') {
    if (route) next.searchParams.set(PARAM, formatText(route));
    else next.searchParams.delete(PARAM);
  }
  return next;
}

/** The address to give history (a relative one, so no origin is repeated). */
export const historyUrl = (url: URL): string => url.pathname + url.search + (url.hash === '#' ? '' : url.hash);
