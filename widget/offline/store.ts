/**
 * Where the offline copies and drafts of one contact live: IndexedDB (idb-keyval) when the
 * contact chose "remember me", so they outlive the tab as the session does; sessionStorage
 * otherwise, so they go with the tab. Every key starts with the provider and the contact, so one
 * contact's data is never read for another, and logging out removes exactly that contact's.
 */
import { del, get, keys, set } from 'idb-keyval';

export interface Box {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

const idb: Box = {
  get: (k) => get(k).catch(() => undefined),
  set: (k, v) => set(k, v).catch(() => undefined),
  del: (k) => del(k).catch(() => undefined),
  keys: () => keys().then((ks) => ks.filter((k): k is string => typeof k === 'string'), () => []),
};

function tabStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked: nothing is kept
  }
}

const tab: Box = {
  async get<T>(k: string) {
    const text = tabStorage()?.getItem(k);
    return text ? (JSON.parse(text) as T) : undefined;
  },
  async set(k, v) {
    try {
      tabStorage()?.setItem(k, JSON.stringify(v));
    } catch {
      /* full: the copy is lost, the live data is not */
    }
  },
  async del(k) {
    tabStorage()?.removeItem(k);
  },
  async keys() {
    const s = tabStorage();
    return s ? Array.from({ length: s.length }, (_, i) => s.key(i)!).filter(Boolean) : [];
  },
};

/** The box a remembered (or not) session keeps its contact's data in. */
export const boxFor = (remembered: boolean): Box => (remembered ? idb : tab);

/** Both boxes, for reading what either may hold and for forgetting everywhere. */
export const boxes: Box[] = [tab, idb];

/** The session store's key (widget/session-store.ts): the token is in IndexedDB only when remembered. */
export const sessionKey = (api: string, provider: string): string => `portal-session|${api}|${provider}`;

export const remembered = async (api: string, provider: string, token: string): Promise<boolean> => (await idb.get(sessionKey(api, provider))) === token;

/** Every key of one contact at one provider starts with this. */
export const contactPrefix = (api: string, provider: string, contactId: number): string => `portal-offline|${api}|${provider}|${contactId}|`;

/** Removes every key starting with `prefix` from both boxes. */
export async function forget(prefix: string): Promise<void> {
  for (const box of boxes) {
    for (const k of await box.keys()) if (k.startsWith(prefix)) await box.del(k);
  }
}

/** Which contact a session token belongs to: kept under the token's hash, never the token itself. */
export async function tokenKey(api: string, provider: string, token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `portal-offline-who|${api}|${provider}|${hex}`;
}
