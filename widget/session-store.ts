/**
 * Where the session token lives in the browser: sessionStorage (survives a reload of this tab),
 * and IndexedDB only when the contact chose "remember me".
 */

/**
 * IndexedDB through idb-keyval, loaded on first use: a tab that keeps its token in
 * sessionStorage never needs it, and it stays off the login path's first download.
 */
const idb = (): Promise<typeof import('idb-keyval')> => import('idb-keyval');

const key = (api: string, provider: string): string => `portal-session|${api}|${provider}`;

function session(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked (sandboxed iframe, privacy settings): keep the token in memory only
  }
}

export async function loadToken(api: string, provider: string): Promise<string | null> {
  const k = key(api, provider);
  const fromTab = session()?.getItem(k);
  if (fromTab) return fromTab;
  try {
    const remembered = await (await idb()).get<string>(k);
    return typeof remembered === 'string' ? remembered : null;
  } catch {
    return null;
  }
}

export async function saveToken(api: string, provider: string, token: string, remember: boolean): Promise<void> {
  const k = key(api, provider);
  try {
    session()?.setItem(k, token);
  } catch {
    /* quota or blocked: memory only */
  }
  if (remember) await idb().then((db) => db.set(k, token)).catch(() => undefined);
}

export async function clearToken(api: string, provider: string): Promise<void> {
  const k = key(api, provider);
  try {
    session()?.removeItem(k);
  } catch {
    /* nothing stored */
  }
  await idb().then((db) => db.del(k)).catch(() => undefined);
}
