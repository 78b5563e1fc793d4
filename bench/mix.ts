/**
 * The realistic request mix for the server bench: 200 contacts of 50 companies (the big customer
 * among them) list their jobs with different searches, status filters, sort orders and pages, as
 * the widget asks for them. The response cache is emptied before each round (a cold cache): only
 * what a contact asks for again within the round can come from it, as in use.
 *
 * Deterministic (seeded), so two runs measure the same requests.
 */
import type { createApp } from '../server/app.js';
import { createContact } from '../server/companies/data.js';
import { encodeCursor } from '../server/db/paging.js';
import type { Db } from '../server/db/index.js';
import { JOB_STATUSES } from '../server/contract.js';
import { random } from './large-data.js';

export interface MixRequest {
  path: string;
  token: string;
}

export interface Mix {
  requests: MixRequest[];
  contacts: number;
  companies: number;
  /** Share of the requests that search, filter by status, and ask for a later page. */
  shares: { search: number; status: number; later: number };
}

const COMPANIES = 50;
const CONTACTS_PER_COMPANY = 4;
// Words a customer types: parts of titles and streets, a job number's start, typos that match nothing.
const SEARCHES = ['leak', 'drain', 'tap', 'boiler', 'hot water', 'quay', 'elm street', 'mill', 'j-10', 'pressure', 'toilet', 'radiator', 'gas', 'sewer', 'storm', 'valve', 'xyzzy', 'pipe'];

/**
 * Makes the contacts and their sessions (through the app's own auth, no password round trip)
 * and `size` requests spread over them.
 */
export async function buildMix(db: Db, app: ReturnType<typeof createApp>, providerId: number, slug: string, size: number): Promise<Mix> {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const companies = db.prepare('SELECT id FROM companies WHERE provider_id = ? ORDER BY id LIMIT ?').pluck().all(providerId, COMPANIES) as number[];
  const contacts: { token: string; companyId: number; contactId: number; all: boolean }[] = [];
  for (const companyId of companies) {
    for (let n = 0; n < CONTACTS_PER_COMPANY; n++) {
      // Half see all of their company's jobs, half only their own (and those naming them).
      const all = n % 2 === 0;
      const contactId = createContact(db, providerId, {
        companyId,
        email: `mix-${companyId}-${n}@bench.example`,
        name: `Mix contact ${companyId}-${n}`,
        permissions: { jobs: all ? 'view_all' : 'view_own' },
      });
      contacts.push({ token: (await app.deps.auth.create(contactId, providerId)).token, companyId, contactId, all });
    }
  }
  // The own-jobs contacts need jobs of their own: name each on a share of their company's jobs.
  const name = db.prepare('UPDATE jobs SET contact_id = ? WHERE provider_id = ? AND company_id = ? AND id % ? = ?');
  contacts.forEach((c, i) => {
    if (!c.all) name.run(c.contactId, providerId, c.companyId, CONTACTS_PER_COMPANY, i % CONTACTS_PER_COMPANY);
  });
  // Where a later page starts: after a job of the company, as a cursor from an earlier page would say.
  const keys = db.prepare('SELECT id, updated_at, created_at FROM jobs WHERE provider_id = ? AND company_id = ? ORDER BY id');
  const jobKeys = new Map(companies.map((id) => [id, keys.all(providerId, id) as { id: number; updated_at: number; created_at: number }[]]));

  const requests: MixRequest[] = [];
  const counted = { search: 0, status: 0, later: 0 };
  for (let i = 0; i < size; i++) {
    const c = pick(contacts);
    const query = new URLSearchParams();
    if (rnd() < 0.5) {
      query.set('q', pick(SEARCHES));
      counted.search++;
    }
    if (rnd() < 0.3) {
      query.set('status', pick(JOB_STATUSES));
      counted.status++;
    }
    const sort = rnd() < 0.2 ? 'created' : 'updated';
    if (sort === 'created') query.set('sort', sort);
    if (rnd() < 0.35) {
      const job = pick(jobKeys.get(c.companyId)!);
      query.set('cursor', encodeCursor(sort === 'created' ? job.created_at : job.updated_at, job.id));
      counted.later++;
    }
    requests.push({ path: `/api/portal/${slug}/jobs${query.size ? `?${query}` : ''}`, token: c.token });
  }
  const share = (n: number): number => n / size;
  return { requests, contacts: contacts.length, companies: companies.length, shares: { search: share(counted.search), status: share(counted.status), later: share(counted.later) } };
}
