/**
 * Element-test data for the quotes elements (Node side; called from fixtures.ts).
 *
 * acme-plumbing, company "Quote Test Co": 30 quotes (paging), one in every status, a sent one
 * whose validity has passed, one with markup in its text, and a sent quote per test that answers
 * one (answers change the server for the rest of the run). Contacts `<name>@quotes.test`, one per
 * permission level. Company "Quote Form Co" takes the requests the tests send, so the list
 * company's count never changes.
 */
import { type Db, nowSeconds, stmt } from '../../server/db/index.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { insertQuote, type NewQuote } from '../../server/quotes/data.js';
import type { Permissions } from '../../server/sessions/schemas.js';

/** Same as FIXTURE_PASSWORD in fixtures.ts (not imported: fixtures.ts imports this module). */
const PASSWORD = 'element-test-1';
const DAY = 86_400;

/** `<name>@quotes.test` → its permissions (the rest are createContact's defaults). */
export const QUOTE_CONTACTS: Record<string, Partial<Permissions>> = {
  'quotes-all': { quotes: 'edit_all', createQuotes: true },
  'quotes-view-own': { quotes: 'view_own', createQuotes: true },
  'quotes-edit-own': { quotes: 'edit_own', createQuotes: true },
  'quotes-none': { quotes: 'none', createQuotes: false },
  'quotes-no-create': { quotes: 'view_all', createQuotes: false },
};

/** Contacts of "Quote Form Co", whose requests land there. */
export const QUOTE_FORM_CONTACTS: Record<string, Partial<Permissions>> = {
  'quote-form': { quotes: 'edit_all', createQuotes: true },
  'quote-form-list': { quotes: 'edit_all', createQuotes: true },
  'quote-form-no-create': { quotes: 'view_all', createQuotes: false },
};

const LINES = [
  { description: 'Heat pump unit, 270 L', quantity: 1, unitPriceCents: 389_000 },
  { description: 'Installation labour (hours)', quantity: 6, unitPriceCents: 9_500 },
  { description: 'Valves and fittings', quantity: 1, unitPriceCents: 14_250 },
];

export async function seedQuotesFixtures(db: Db): Promise<void> {
  const acme = getProviderBySlug(db, 'acme-plumbing')!;
  const hash = await hashPassword(PASSWORD);
  const company = createCompany(db, acme.id, { name: 'Quote Test Co', address: '1 Quote Street' });
  const ids: Record<string, number> = {};
  for (const [name, permissions] of Object.entries(QUOTE_CONTACTS)) {
    ids[name] = createContact(db, acme.id, { companyId: company, email: `${name}@quotes.test`, name: `Quotes ${name}`, passwordHash: hash, permissions });
  }
  const formCompany = createCompany(db, acme.id, { name: 'Quote Form Co' });
  for (const [name, permissions] of Object.entries(QUOTE_FORM_CONTACTS)) {
    createContact(db, acme.id, { companyId: formCompany, email: `${name}@quotes.test`, name: `Quotes ${name}`, passwordHash: hash, permissions });
  }

  const now = nowSeconds();
  let age = 0;
  /** Newest first in the list: each quote is an hour older than the one before. */
  const add = (q: Omit<NewQuote, 'companyId' | 'source'> & { source?: NewQuote['source'] }): number =>
    insertQuote(db, acme.id, { companyId: company, source: 'office', createdAt: now - ++age * 3600, ...q });
  const sent = (title: string, extra: Partial<NewQuote> = {}): number =>
    add({ title, status: 'sent', lines: LINES, sentAt: now - 2 * DAY, validUntil: now + 30 * DAY, address: '1 Quote Street', ...extra });
  const answered = (id: number, note: string, by: number): void => {
    stmt(db, 'UPDATE quotes SET response_note = ?, responded_at = ?, responded_by_contact_id = ? WHERE id = ?').run(note, now - DAY, by, id);
  };

  // One sent quote per test that answers one.
  sent('Accept once: hot water heat pump', {
    currency: 'EUR',
    description: 'Replace the old cylinder with a heat pump.\nKeep the existing pipework.',
  });
  sent('Decline with note: gutter guards');
  sent('Cancelled answer: bathroom re-pipe');
  sent('Conflict: rainwater tank');
  sent('Keyboard answer: outdoor tap');
  sent('Long note: backflow valve');
  sent('Own sent: drain relining', { contactId: ids['quotes-edit-own']! });
  sent('View-own sent: shower remodel', { contactId: ids['quotes-view-own']! });
  add({ title: 'View-own requested: laundry sink', createdByContactId: ids['quotes-view-own']!, contactId: ids['quotes-view-own']!, source: 'portal' });
  add({ title: 'Own requested: boiler replacement', createdByContactId: ids['quotes-edit-own']!, contactId: ids['quotes-edit-own']!, source: 'portal', description: 'Old boiler, 20 years.' });
  answered(
    sent('Accepted: kitchen tap', { status: 'accepted' }),
    'Go ahead on Monday, please.',
    ids['quotes-all']!,
  );
  answered(sent('Declined: garden irrigation', { status: 'declined' }), 'Too expensive for now.', ids['quotes-all']!);
  sent('Expired: water softener', { status: 'expired', validUntil: now - 10 * DAY });
  // Sent, but its validity passed: the server reads it as expired.
  sent('Lapsed: sewer camera inspection', { validUntil: now - DAY });
  // User text that looks like markup must be shown as text.
  sent('<img src=x onerror=alert(1)>', {
    description: '<script>window.__quoteXss = 1</script>',
    address: '<b>Bold Street</b>',
    lines: [{ description: '<img src=x onerror=alert(2)>', quantity: 1, unitPriceCents: 1000 }],
  });
  // Older ones, so the list has pages.
  for (let i = 1; i <= 15; i++) {
    const n = String(i).padStart(2, '0');
    if (i % 3 === 0) sent(`Older quote ${n}`);
    else add({ title: `Older quote ${n}`, description: 'Filler for paging.' });
  }
}
