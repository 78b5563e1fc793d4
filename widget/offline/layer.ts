/**
 * The offline layer, behind portal-root's fetch (loaded lazily, off the login path): it keeps the
 * last answer of each read a contact made (lists, a job with its timeline, quotes, equipment,
 * details, who they are), answers from it when the network fails, and turns a job request, quote
 * request, equipment addition or details edit that cannot be sent into a draft, sent later with
 * its Idempotency-Key (the server does it once however often it arrives).
 *
 * Logging out (here or everywhere) forgets the contact's copies and drafts; an expired session
 * only stops its token from reaching them (they wait for the same contact to log in again).
 */
import { newKey } from '../api/client.js';
import { changed, liveAt, shownFrom } from './shown.js';
import { boxFor, boxes, contactPrefix, forget, remembered, tokenKey, type Box } from './store.js';

export type DraftKind = 'job' | 'quote' | 'equipment' | 'details';

export interface Draft {
  id: string;
  kind: DraftKind;
  method: string;
  /** Path under /api/portal/:provider, e.g. "/jobs". */
  path: string;
  body: Record<string, unknown>;
  /** The Idempotency-Key every attempt carries. */
  key: string;
  createdAt: string;
  /** waiting: not sent yet (or the network failed again); refused: the server said no. */
  state: 'waiting' | 'refused';
  error?: string;
  fields?: Record<string, string>;
}

interface Saved {
  at: string;
  body: string;
}

interface Session {
  api: string;
  provider: string;
  token: string;
  contactId: number;
  box: Box;
}

const READS = /^\/(me|jobs|jobs\/\d+|quotes|quotes\/\d+|equipment|details)(\?|$)/;
const WRITES: Record<string, DraftKind> = { 'POST /jobs': 'job', 'POST /quotes': 'quote', 'POST /equipment': 'equipment', 'PATCH /details': 'details' };
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000, 60_000];

/** Splits `${api}/api/portal/${provider}${path}` into its parts. */
function parse(url: string): { api: string; provider: string; path: string } | null {
  const m = /^(.*)\/api\/portal\/([^/?]+)(\/[^]*)$/.exec(url);
  return m ? { api: m[1]!, provider: decodeURIComponent(m[2]!), path: m[3]! } : null;
}

const header = (init: RequestInit | undefined, name: string): string | undefined => (init?.headers as Record<string, string> | undefined)?.[name];
const tokenOf = (init: RequestInit | undefined): string | undefined => /^Bearer (\S+)$/.exec(header(init, 'Authorization') ?? '')?.[1];

/** The session a token opened (who, and which box keeps their data), as far as this browser knows it. */
async function sessionOf(api: string, provider: string, token: string): Promise<Session | null> {
  const key = await tokenKey(api, provider, token);
  for (const box of boxes) {
    const contactId = await box.get<number>(key);
    if (typeof contactId === 'number') return { api, provider, token, contactId, box };
  }
  return null;
}

async function remember(api: string, provider: string, token: string, contactId: number): Promise<Session> {
  const box = boxFor(await remembered(api, provider, token));
  await box.set(await tokenKey(api, provider, token), contactId);
  return { api, provider, token, contactId, box };
}

/** Tokens of logins this page saw, with who they are (`me`), until their session is written down. */
const learned = new Map<string, { contact: { id: number } }>();

/** Lookups under way, per provider and token: two at once (a read kept while the drafts load) must find the same session. */
const resolving = new Map<string, Promise<Session | null>>();

/** The session of a token: in use, written down, or just learned (`contactId`: from /me). */
async function sessionFor(api: string, provider: string, token: string, contactId?: number): Promise<Session | null> {
  const s = current.get(scope(api, provider));
  if (s?.token === token) return s;
  const key = `${scope(api, provider)}|${token}`;
  let pending = resolving.get(key);
  if (!pending) {
    pending = resolveSession(api, provider, token, contactId).finally(() => resolving.delete(key));
    resolving.set(key, pending);
  }
  const found = await pending;
  // The lookup under way knew no contact for the token, but this caller does (a /me answer).
  return found ?? (contactId === undefined ? null : resolveSession(api, provider, token, contactId));
}

async function resolveSession(api: string, provider: string, token: string, contactId?: number): Promise<Session | null> {
  const id = scope(api, provider);
  let s = (await sessionOf(api, provider, token)) ?? undefined;
  const me = learned.get(token);
  const known = contactId ?? me?.contact.id;
  if (!s && known !== undefined) {
    s = await remember(api, provider, token, known);
    // The login's answer is who they are, as /me would say: restoring offline starts from it.
    if (me) await s.box.set(readKey(s, '/me'), { at: new Date().toISOString(), body: JSON.stringify(me) } satisfies Saved);
  }
  if (!s) return null;
  learned.delete(token);
  current.set(id, s);
  return s;
}

const readKey = (s: Session, path: string): string => `${contactPrefix(s.api, s.provider, s.contactId)}get|${path}`;
const draftPrefix = (s: Session): string => `${contactPrefix(s.api, s.provider, s.contactId)}draft|`;

// ---- what the elements see -------------------------------------------------------------------

/** The session in use per provider (the last token that reached the server, or was restored). */
const current = new Map<string, Session>();
const scope = (api: string, provider: string): string => `${api}|${provider}`;

/** The drafts of the contact whose session `token` is, oldest first (none for a token this browser does not know). */
export async function drafts(api: string, provider: string, token: string | null): Promise<Draft[]> {
  const s = token ? await sessionFor(api, provider, token) : null;
  if (!s) return [];
  const prefix = draftPrefix(s);
  const found: Draft[] = [];
  for (const k of await s.box.keys()) if (k.startsWith(prefix)) found.push((await s.box.get<Draft>(k))!);
  return found.filter(Boolean).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function discard(api: string, provider: string, token: string | null, id: string): Promise<void> {
  const s = token ? await sessionFor(api, provider, token) : null;
  if (s) await s.box.del(draftPrefix(s) + id);
  changed();
}

/** A refused draft, fixed: its body changed, it waits again (with a new key: it is a new request). */
export async function revise(api: string, provider: string, token: string | null, id: string, body: Record<string, unknown>): Promise<void> {
  const s = token ? await sessionFor(api, provider, token) : null;
  const d = s && (await s.box.get<Draft>(draftPrefix(s) + id));
  if (!s || !d) return;
  await s.box.set(draftPrefix(s) + id, { ...d, body, key: newKey(), state: 'waiting', error: undefined, fields: undefined } satisfies Draft);
  changed();
  void flush(api, provider);
}

// ---- the fetch hooks portal-root calls -------------------------------------------------------

/**
 * After any answer: keep reads, learn who a token is, forget on logout, hide on expiry. Never
 * fails: a body the page stopped reading (an aborted request) is simply not kept.
 */
export const seen = (url: string, init: RequestInit | undefined, res: Response): Promise<void> => look(url, init, res).catch(() => undefined);

async function look(url: string, init: RequestInit | undefined, res: Response): Promise<void> {
  const at = parse(url);
  const token = tokenOf(init);
  if (!at) return;
  const method = init?.method ?? 'GET';
  const id = scope(at.api, at.provider);
  // Before anything slower: going offline a moment later, the banner says when this arrived.
  if (method === 'GET' && res.ok && READS.test(at.path)) liveAt.set(id, new Date().toISOString());
  if (method === 'POST' && (at.path === '/session' || at.path === '/password/set') && res.ok) {
    // Written down at the first read, once the session store has put the token where "remember me" says.
    const { token: fresh, me } = (await res.json()) as { token: string; me: { contact: { id: number } } };
    learned.set(fresh, me);
    return;
  }
  if (!token) return;
  if (res.status === 401) {
    // The session ended elsewhere: its token no longer opens the contact's copies.
    for (const box of boxes) await box.del(await tokenKey(at.api, at.provider, token));
    current.delete(id);
    return;
  }
  if (method === 'DELETE' && (at.path === '/session' || at.path === '/sessions')) return void (await logout(at.api, at.provider, token));
  if (method !== 'GET' || !res.ok || !READS.test(at.path)) return;
  const body = await res.text();
  const s = await sessionFor(at.api, at.provider, token, at.path === '/me' ? (JSON.parse(body) as { contact: { id: number } }).contact.id : undefined);
  if (!s) return;
  await s.box.set(readKey(s, at.path), { at: new Date().toISOString(), body } satisfies Saved);
  // The network answers again: what shows is live, and waiting drafts can go.
  if (shownFrom.delete(id)) changed();
  void flush(at.api, at.provider);
}

/** When the network failed: a saved copy, a draft, or the failure itself. */
export async function fallback(url: string, init: RequestInit | undefined, error: unknown): Promise<Response> {
  const at = parse(url);
  const token = tokenOf(init);
  const method = init?.method ?? 'GET';
  if (!at || !token || init?.signal?.aborted) throw error;
  if (method === 'DELETE' && (at.path === '/session' || at.path === '/sessions')) {
    await logout(at.api, at.provider, token);
    throw error;
  }
  const s = await sessionFor(at.api, at.provider, token);
  if (!s) throw error;
  if (method === 'GET') {
    const saved = await s.box.get<Saved>(readKey(s, at.path));
    if (!saved) throw error;
    const id = scope(at.api, at.provider);
    const before = shownFrom.get(id);
    if (!before || saved.at < before) shownFrom.set(id, saved.at);
    return new Response(saved.body, { status: 200, headers: { 'Content-Type': 'application/json' } });
  }
  const kind = WRITES[`${method} ${at.path}`];
  if (!kind) throw error;
  const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
  const existing = (await drafts(at.api, at.provider, token)).find((d) => d.method === method && d.path === at.path && JSON.stringify(d.body) === JSON.stringify(body));
  if (!existing) {
    const draft: Draft = { id: newKey(), kind, method, path: at.path, body, key: header(init, 'Idempotency-Key') ?? newKey(), createdAt: new Date().toISOString(), state: 'waiting' };
    await s.box.set(draftPrefix(s) + draft.id, draft);
    changed();
  }
  schedule(at.api, at.provider);
  const message = 'You are offline. This is saved as a draft and will be sent when the connection is back.';
  return new Response(JSON.stringify({ error: { code: 'saved_as_draft', message } }), { status: 503, headers: { 'Content-Type': 'application/json' } });
}

async function logout(api: string, provider: string, token: string): Promise<void> {
  const s = current.get(scope(api, provider)) ?? (await sessionOf(api, provider, token));
  current.delete(scope(api, provider));
  shownFrom.delete(scope(api, provider));
  for (const box of boxes) await box.del(await tokenKey(api, provider, token));
  if (s) await forget(contactPrefix(api, provider, s.contactId));
  changed();
}

// ---- sending drafts --------------------------------------------------------------------------

const retries = new Map<string, { attempt: number; timer?: ReturnType<typeof setTimeout> }>();
const flushing = new Set<string>();

function schedule(api: string, provider: string): void {
  const id = scope(api, provider);
  const r = retries.get(id) ?? { attempt: 0 };
  if (r.timer) return;
  r.timer = setTimeout(() => {
    r.timer = undefined;
    void flush(api, provider);
  }, BACKOFF_MS[Math.min(r.attempt, BACKOFF_MS.length - 1)]);
  r.attempt++;
  retries.set(id, r);
}

/** Sends the current contact's waiting drafts, oldest first; stops at the first network failure. */
export async function flush(api: string, provider: string): Promise<void> {
  const id = scope(api, provider);
  const s = current.get(id);
  if (!s || flushing.has(id)) return;
  flushing.add(id);
  try {
    for (const d of await drafts(api, provider, s.token)) {
      if (d.state === 'refused') continue;
      const key = draftPrefix(s) + d.id;
      let res: Response;
      try {
        res = await fetch(`${api}/api/portal/${encodeURIComponent(provider)}${d.path}`, {
          method: d.method,
          headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${s.token}`, 'Idempotency-Key': d.key },
          body: JSON.stringify(d.body),
          credentials: 'omit',
        });
      } catch {
        schedule(api, provider);
        return;
      }
      if (res.status === 401 || res.status >= 500) {
        // Sent once this contact logs in again, or the server is back.
        if (res.status >= 500) schedule(api, provider);
        return;
      }
      const answer: unknown = await res.json().catch(() => undefined);
      if (res.ok) {
        await s.box.del(key);
        changed({ kind: d.kind, answer });
      } else {
        const error = (answer as { error?: { message?: string; fields?: Record<string, string> } } | undefined)?.error;
        await s.box.set(key, { ...d, state: 'refused', error: error?.message ?? `The server answered ${res.status}.`, fields: error?.fields } satisfies Draft);
        changed();
      }
    }
    retries.delete(id);
  } finally {
    flushing.delete(id);
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    for (const s of current.values()) {
      retries.delete(scope(s.api, s.provider));
      void flush(s.api, s.provider);
    }
  });
}
