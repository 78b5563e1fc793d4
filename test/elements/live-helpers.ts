/** Browser-side helpers for the live-update and map tests: play the office through the real provider API. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { PortalRoot } from '../../widget/index.js';
import { clearStoredSessions, signInAs } from './helpers.js';
import { LIVE_COMPANIES, LIVE_PASSWORD, LIVE_PROVIDER, OFFICE_KEY, liveEmail, type LiveCompany } from './fixtures-live.js';

/** A provider API call as the office makes it; fails the test unless it succeeds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function office(method: string, path: string, body?: unknown): Promise<any> {
  const r = await window.fetch(`/api/provider/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${OFFICE_KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const companies = new Map<string, number>();
export async function companyId(c: LiveCompany): Promise<number> {
  if (!companies.size) {
    let cursor: string | null = null;
    do {
      const page = (await office('GET', `/companies?limit=100${cursor ? `&cursor=${cursor}` : ''}`)) as { items: { id: number; name: string }[]; nextCursor: string | null };
      for (const co of page.items) companies.set(co.name, co.id);
      cursor = page.nextCursor;
    } while (cursor);
  }
  const id = companies.get(LIVE_COMPANIES[c]);
  if (!id) throw new Error(`no company ${LIVE_COMPANIES[c]}`);
  return id;
}

/** A new office job in a live test company. */
export async function providerJob(c: LiveCompany, title: string, extra: object = {}): Promise<{ id: number; number: string }> {
  return office('POST', '/jobs', { companyId: await companyId(c), title, address: '5 Live Lane', status: 'scheduled', ...extra });
}

/** A portal-root signed in as the company's live contact, with `inner`, once its live stream is open. */
export async function mountLive(who: LiveCompany | 'map-off' | 'own', inner: TemplateResult, attrs: { noLive?: boolean } = {}) {
  await clearStoredSessions();
  await signInAs(LIVE_PROVIDER, liveEmail(who), LIVE_PASSWORD);
  const root = await fixture<PortalRoot>(html`<portal-root provider=${LIVE_PROVIDER} ?no-live=${!!attrs.noLive}>${inner}</portal-root>`);
  if (!attrs.noLive) await waitUntil(() => root.liveState === 'open', 'the live stream never opened', { timeout: 5000 });
  return root;
}
