/**
 * Demo data for `npm start`: two providers with their own look and their own customers.
 * The logins here are listed in the README.
 */
import type { Db } from '../server/db/index.js';
import { hashPassword } from '../server/auth/password.js';
import { alertsOverview, createSubscription } from '../server/alerts/data.js';
import { createCompany, createContact, getContact } from '../server/companies/data.js';
import { viewerOf } from '../server/permissions.js';
import { createProvider, getProviderBySlug, setAllowedOrigins, setPortalUrl } from '../server/providers/data.js';
import { seedWork, TRADES } from './work.js';
import { setMapSettings } from '../server/map/data.js';

export const DEMO_PROVIDERS = ['acme-plumbing', 'bright-electric'] as const;

export function hasDemoData(db: Db): boolean {
  return DEMO_PROVIDERS.some((slug) => getProviderBySlug(db, slug));
}

export async function seedDemo(db: Db, origins: string[]): Promise<void> {
  const [alexHash, samHash, jordanHash, caseyHash] = await Promise.all(
    ['portal-demo-1', 'portal-demo-2', 'portal-demo-3', 'portal-demo-4'].map(hashPassword),
  );
  db.transaction(() => {
    const acme = createProvider(db, {
      slug: 'acme-plumbing',
      name: 'Acme Plumbing',
      portalUrl: 'http://localhost:8787/acme-plumbing.html',
      allowedOrigins: origins,
      theme: { brandColor: '#0b5cab', accentColor: '#f2a900', fontFamily: "'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif", radius: '10px', colorScheme: 'light', logoUrl: '/demo/acme-logo.svg' },
      timeZone: 'Australia/Sydney',
    });
    const harbour = createCompany(db, acme.id, { name: 'Harbour View Apartments', address: '12 Quay Street, Springfield', phone: '+1 555 0100', email: 'office@harbourview.example' });
    const elm = createCompany(db, acme.id, { name: 'Elm Street Residence', address: '7 Elm Street, Springfield', phone: '+1 555 0111', email: 'home@elm.example' });
    const alex = createContact(db, acme.id, { companyId: harbour, email: 'alex@example.com', name: 'Alex Morgan', phone: '+1 555 0101', passwordHash: alexHash, permissions: { jobs: 'edit_all', quotes: 'edit_all', equipment: 'add', details: 'edit' } });
    const jordan = createContact(db, acme.id, { companyId: harbour, email: 'jordan@example.com', name: 'Jordan Lee', phone: '+1 555 0102', passwordHash: jordanHash, permissions: { jobs: 'view_own', quotes: 'none', createQuotes: false, equipment: 'none', details: 'view', map: false } });
    const casey = createContact(db, acme.id, { companyId: elm, email: 'casey@example.com', name: 'Casey Brown', passwordHash: caseyHash, permissions: { jobs: 'edit_own', quotes: 'view_own' } });

    const bright = createProvider(db, {
      slug: 'bright-electric',
      name: 'Bright Electric',
      portalUrl: 'http://localhost:8787/bright-electric.html',
      allowedOrigins: origins,
      theme: { brandColor: '#ffc629', accentColor: '#7dd3fc', fontFamily: "'Trebuchet MS', 'Helvetica Neue', sans-serif", radius: '2px', colorScheme: 'dark', logoUrl: '/demo/bright-logo.svg' },
      timeZone: 'Australia/Melbourne',
    });
    const mill = createCompany(db, bright.id, { name: 'Old Mill Offices', address: '3 Mill Lane, Shelbyville', phone: '+1 555 0200', email: 'facilities@oldmill.example' });
    const sam = createContact(db, bright.id, { companyId: mill, email: 'sam@example.com', name: 'Sam Patel', phone: '+1 555 0201', passwordHash: samHash, permissions: { jobs: 'edit_all', quotes: 'edit_all', equipment: 'add', details: 'edit' } });
    // Acme shows its technicians exactly while they drive (the demo map moves smoothly); Bright keeps the ~500 m default.
    setMapSettings(db, acme.id, { exactPositionOnTheWay: true });
    const bakery = createCompany(db, bright.id, { name: 'Corner Bakery', address: '18 King Street, Shelbyville', phone: '+1 555 0210' });
    seedWork(db, acme.id, [
      { id: harbour, contactIds: [alex, jordan], center: [-33.865, 151.209] },
      { id: elm, contactIds: [casey], center: [-33.88, 151.18] },
    ], TRADES.plumbing, 1, 40, acme.timeZone);
    seedWork(db, bright.id, [
      { id: mill, contactIds: [sam], center: [-37.814, 144.963] },
      { id: bakery, contactIds: [], center: [-37.82, 144.95] },
    ], TRADES.electrical, 2, 40, bright.timeZone);
    // Alex has an alert for every job: as the office simulator works them, the emails land in the demo mailbox.
    const viewer = viewerOf(getContact(db, acme.id, alex)!);
    createSubscription(db, acme, viewer, {
      jobId: null,
      events: ['job_scheduled', 'start_reminder', 'on_the_way', 'job_started', 'job_completed', 'quote_ready'],
      destinationIds: [alertsOverview(db, acme, viewer).destinations[0]!.id],
      reminderHours: 24,
      paused: false,
    });
  })();
}

/**
 * The demo providers accept the demo site's origins and link their emails to the demo pages,
 * whatever ports this run uses.
 */
export function configureDemoProviders(db: Db, origins: string[], siteUrl: string): void {
  for (const slug of DEMO_PROVIDERS) {
    const p = getProviderBySlug(db, slug);
    if (!p) continue;
    setAllowedOrigins(db, p.id, [...new Set([...p.allowedOrigins, ...origins])]);
    setPortalUrl(db, p.id, `${siteUrl}/${slug}.html`);
  }
}
