/** Browser-side helpers shared by the element tests. */
import { LitElement } from 'lit';
import { ContextConsumer } from '@lit/context';
import { clear as clearIdb, get as getIdb } from 'idb-keyval';
import { portalContext, type PortalState, type SessionStatus } from '../../widget/context.js';
import '../../widget/index.js';

/** Password of every contact seeded by test/elements/fixtures.ts. */
export const PASSWORD = 'element-test-1';

/** Where the widget keeps a provider's token, in sessionStorage and (remember me) IndexedDB. */
export const sessionKey = (provider: string): string => `portal-session|${location.origin}|${provider}`;

export const rememberedToken = (provider: string): Promise<string | undefined> => getIdb<string>(sessionKey(provider));

/** Forgets every stored session, so no test starts logged in because of an earlier one. */
export async function clearStoredSessions(): Promise<void> {
  sessionStorage.clear();
  await clearIdb();
}

/**
 * A child of portal-root that consumes the context the way the portal elements do, and
 * records every session status it is given.
 */
export class TestPortalConsumer extends LitElement {
  portal?: PortalState;
  readonly seen: SessionStatus[] = [];
  protected readonly consumer = new ContextConsumer(this, {
    context: portalContext,
    subscribe: true,
    callback: (value) => {
      if (!value) return;
      this.portal = value;
      if (this.seen[this.seen.length - 1] !== value.status) this.seen.push(value.status);
    },
  });
}
if (!customElements.get('test-portal-consumer')) customElements.define('test-portal-consumer', TestPortalConsumer);

declare global {
  interface HTMLElementTagNameMap {
    'test-portal-consumer': TestPortalConsumer;
  }
}

export interface Recorder {
  events: CustomEvent[];
  stop(): void;
}

/** Records the given events as they reach `document` (so they bubbled and were composed). */
export function recordOnDocument(names: string[]): Recorder {
  const events: CustomEvent[] = [];
  const listener = (e: Event): void => void events.push(e as CustomEvent);
  for (const n of names) document.addEventListener(n, listener);
  return { events, stop: () => names.forEach((n) => document.removeEventListener(n, listener)) };
}

/** The token a portal-root stored for this tab. */
export const tabToken = (provider: string): string | null => sessionStorage.getItem(sessionKey(provider));

/** Asks the API who the token belongs to; the HTTP status says whether the session is live. */
export async function meStatus(provider: string, token: string): Promise<number> {
  const res = await fetch(`/api/portal/${provider}/me`, { headers: { Authorization: `Bearer ${token}` } });
  return res.status;
}

/**
 * Logs in through the API and leaves the token where portal-root looks on load, so the next
 * mounted portal-root starts signed in as this contact. Returns the token.
 */
export async function signInAs(provider: string, email: string, password: string): Promise<string> {
  const r = await fetch(`/api/portal/${provider}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 201) throw new Error(`log in as ${email}: ${r.status} ${await r.text()}`);
  const { token } = (await r.json()) as { token: string };
  sessionStorage.setItem(sessionKey(provider), token);
  return token;
}

/** A request the page made, as `Net` recorded it. `B` is how its body was kept (text, or parsed). */
export interface Call<B = string | null> {
  method: string;
  url: URL;
  path: string;
  params: URLSearchParams;
  body: B;
  signal: AbortSignal | null;
}

/**
 * Records every request the page makes (method, URL, body, AbortSignal); can hold requests, take
 * the network down (for all, or for matching requests) and rewrite a body on its way out.
 * Install it before the portal-root is created: its client binds `fetch` when constructed.
 */
export class Net<B = string | null> {
  readonly calls: Call<B>[] = [];
  /** While true, every request fails as fetch does when the network is down. */
  down = false;
  /** Requests for which this says true fail as if the network were down. */
  cut: ((call: Call<B>) => boolean) | null = null;
  /** A replacement body for a request, or null to send it as it is. */
  rewrite: ((call: Call<B>) => string | null) | null = null;
  private readonly original = window.fetch;
  private gates: { match: (c: Call<B>) => boolean; until: Promise<void> }[] = [];

  constructor(readBody: (raw: string | null) => B = (raw) => raw as B) {
    const original = this.original;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      const raw = typeof init?.body === 'string' ? init.body : null;
      const call: Call<B> = {
        method: (init?.method ?? 'GET').toUpperCase(),
        url,
        path: url.pathname,
        params: url.searchParams,
        body: readBody(raw),
        signal: init?.signal ?? null,
      };
      this.calls.push(call);
      const gate = this.gates.find((g) => g.match(call));
      if (gate) await gate.until;
      if (this.down || this.cut?.(call)) throw new TypeError('Failed to fetch'); // what fetch throws when the network is down
      const body = this.rewrite?.(call) ?? init?.body;
      return original.call(window, input, { ...init, body });
    };
  }

  /** Recorded requests with this method whose path matches. */
  to(method: string, path: RegExp): Call<B>[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** Holds matching requests until the returned function is called. */
  hold(match: (c: Call<B>) => boolean): () => void {
    let release!: () => void;
    const gate = { match, until: new Promise<void>((resolve) => (release = resolve)) };
    this.gates.push(gate);
    return () => {
      this.gates = this.gates.filter((g) => g !== gate);
      release();
    };
  }

  restore(): void {
    window.fetch = this.original;
  }
}

/** Types into an input as a user would: sets the value and fires `input`. */
/** `$` and `$$` over an element's shadow root (or any root), as the tests query it. */
export function queries(root: ParentNode): {
  $: <E extends Element = HTMLElement>(selector: string) => E | null;
  $$: <E extends Element = HTMLElement>(selector: string) => E[];
} {
  return {
    $: <E extends Element = HTMLElement>(selector: string): E | null => root.querySelector<E>(selector),
    $$: <E extends Element = HTMLElement>(selector: string): E[] => [...root.querySelectorAll<E>(selector)],
  };
}

export function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** What `eachTest()` gives the tests of a `describe`. */
export interface EachTest<N> {
  /** The running test's request recorder: installed before the test, removed after it. */
  readonly net: N;
  /** Records events as they reach `document` (like recordOnDocument) until the test ends. */
  record(names: string[]): Recorder;
  /** Listens on `document` until the test ends, or until the returned function is called. */
  on(name: string, fn: (e: Event) => void): () => void;
  /** Cancels every `name` event reaching `document` until the test ends, or until the returned function is called. */
  cancel(name: string): () => void;
}

/**
 * The set-up and tear-down of the element tests, for every test of the `describe` it is called
 * in: no stored session before or after the test, a new request recorder made by `makeNet`
 * (installed before the portal-root is created, as Net needs) and restored afterwards, and every
 * event recorder started with `record()` and listener added with `on()`/`cancel()` stopped,
 * whether the test passed or not.
 */
export function eachTest<N extends { restore(): void }>(makeNet: () => N): EachTest<N> {
  let net: N | undefined;
  let recorders: Recorder[] = [];
  let listeners: (() => void)[] = [];
  const on = (name: string, fn: (e: Event) => void): (() => void) => {
    document.addEventListener(name, fn);
    const stop = (): void => document.removeEventListener(name, fn);
    listeners.push(stop);
    return stop;
  };
  beforeEach(async () => {
    await clearStoredSessions();
    net = makeNet();
  });
  afterEach(async () => {
    net?.restore();
    for (const r of recorders) r.stop();
    recorders = [];
    for (const stop of listeners) stop();
    listeners = [];
    await clearStoredSessions();
  });
  return {
    get net(): N {
      if (!net) throw new Error('eachTest(): net is made before each test, not while the describe is set up');
      return net;
    },
    record(names: string[]): Recorder {
      const recorder = recordOnDocument(names);
      recorders.push(recorder);
      return recorder;
    },
    on,
    cancel: (name) => on(name, (e) => e.preventDefault()),
  };
}

/**
 * Runs `check` with the browser offline: `navigator.onLine` false and the `offline` event sent,
 * once `updated` have rendered it; then back online (the `online` event), whatever `check` did.
 */
export async function whileOffline(updated: { updateComplete: Promise<unknown> }[], check: () => Promise<void>): Promise<void> {
  Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
  try {
    window.dispatchEvent(new Event('offline'));
    for (const el of updated) await el.updateComplete;
    await check();
  } finally {
    delete (navigator as { onLine?: boolean }).onLine;
    window.dispatchEvent(new Event('online'));
  }
}
