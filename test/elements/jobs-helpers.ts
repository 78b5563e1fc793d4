/** Browser-side helpers for the job-list, job-detail and job-form tests. */
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { JobDetail, JobSummary, Page, PortalRoot } from '../../widget/index.js';
import type { TestPortalConsumer } from './helpers.js';
import { clearStoredSessions, Net as SharedNet, signInAs, type Call as SharedCall } from './helpers.js';
import { JOBS_PASSWORD, JOBS_PROVIDER, JOB_CONTACTS, type JobContactRole } from './fixtures-jobs.js';

export type Call = SharedCall<unknown>;

/** The shared request recorder, with bodies parsed as JSON and filters for the jobs API. */
export class Net extends SharedNet<unknown> {
  constructor() {
    super((raw) => (raw === null ? undefined : (JSON.parse(raw) as unknown)));
  }

  /** Requests to the jobs API (`/jobs` or `/jobs/:id`) with this method. */
  jobs(method = 'GET'): Call[] {
    return this.to(method, /\/api\/portal\/[^/]+\/jobs(?:\/\d+)?$/);
  }

  lists(): Call[] {
    return this.to('GET', /\/jobs$/);
  }
}

/**
 * A portal-root signed in as a fixture contact (or signed out for `null`), with `inner` inside
 * and a test-portal-consumer beside it (its `portal.client` talks to the API as that contact).
 */
export async function mountAs(role: JobContactRole | null, inner: TemplateResult) {
  await clearStoredSessions();
  if (role) await signInAs(JOBS_PROVIDER, JOB_CONTACTS[role].email, JOBS_PASSWORD);
  const root = await fixture<PortalRoot>(html`<portal-root provider=${JOBS_PROVIDER}>${inner}<test-portal-consumer></test-portal-consumer></portal-root>`);
  const consumer = root.querySelector('test-portal-consumer') as TestPortalConsumer;
  return { root, consumer };
}

/** Logs in through the API without touching the stored session; the token for `api()`. */
export async function tokenFor(role: JobContactRole): Promise<string> {
  const r = await window.fetch(`/api/portal/${JOBS_PROVIDER}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: JOB_CONTACTS[role].email, password: JOBS_PASSWORD }),
  });
  if (r.status !== 201) throw new Error(`log in as ${role}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

/** The API as a contact: `[status, body]`. */
export async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<[number, T]> {
  const r = await window.fetch(`/api/portal/${JOBS_PROVIDER}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return [r.status, (await r.json()) as T];
}

/** The job with exactly this title, as `role` sees it. */
export async function jobByTitle(role: JobContactRole, title: string): Promise<JobDetail> {
  const token = await tokenFor(role);
  const [, page] = await api<Page<JobSummary>>(token, 'GET', `/jobs?limit=100&q=${encodeURIComponent(title)}`);
  const found = page.items.find((j) => j.title === title);
  if (!found) throw new Error(`${role} sees no job titled ${title}`);
  const [, job] = await api<JobDetail>(token, 'GET', `/jobs/${found.id}`);
  return job;
}

/** Text of an element with runs of white space made single spaces. */
export const text = (el: Node | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A short name for the element that has focus in a shadow root (chai hangs printing DOM elements). */
export function focusedIn(root: ShadowRoot | null | undefined): string {
  const el = root?.activeElement;
  if (!el) return String(el);
  const id = el.id ? `#${el.id}` : '';
  const name = el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '';
  const data = el.getAttribute('data-id') ? `[data-id=${el.getAttribute('data-id')}]` : '';
  return `${el.localName}${id}${name}${data}${[...el.classList].map((c) => `.${c}`).join('')}`;
}

/** Sets a field's value as typing would (an input event). */
export { type } from './helpers.js';
