import { type Db, stmt, nowSeconds } from '../db/index.js';
import { FeaturesSchema, ThemeSchema, type Features, type ProviderPublic, type Theme } from './schemas.js';

export interface Provider {
  id: number;
  slug: string;
  name: string;
  portalUrl: string | null;
  theme: Theme;
  allowedOrigins: string[];
  features: Features;
  timeZone: string;
}

interface ProviderRow {
  id: number;
  slug: string;
  name: string;
  portal_url: string | null;
  theme: string;
  allowed_origins: string;
  features: string;
  time_zone: string;
  revision: number;
}

const DEFAULT_FEATURES: Features = { map: true, alerts: true };

// Built once: a zod schema compiles itself on first use, and every request reads its provider.
const StoredFeatures = FeaturesSchema.partial();

// Parsed providers by id, with the revision they were parsed at. Each request still reads its
// provider's id and revision (one small indexed SELECT), so a change by another process, such as
// the admin CLI, shows at once; the whole row is read, parsed and re-validated only when the
// revision moved (migration 6 keeps it).
// Per database handle: ids mean nothing across databases.
const parsedByDb = new WeakMap<Db, Map<number, { revision: number; provider: Provider }>>();

function parsedOf(db: Db): Map<number, { revision: number; provider: Provider }> {
  let m = parsedByDb.get(db);
  if (!m) parsedByDb.set(db, (m = new Map()));
  return m;
}

function fromRow(db: Db, row: ProviderRow): Provider {
  const parsed = parsedOf(db);
  let p = parsed.get(row.id);
  if (!p || p.revision !== row.revision) {
    if (parsed.size > 1000) parsed.clear();
    parsed.set(row.id, (p = { revision: row.revision, provider: Object.freeze(parseRow(row)) }));
  }
  return p.provider;
}

function parseRow(row: ProviderRow): Provider {
  // Stored JSON is re-validated on the way out, so a hand-edited row can never inject CSS.
  const theme = ThemeSchema.safeParse(JSON.parse(row.theme));
  const features = StoredFeatures.safeParse(JSON.parse(row.features));
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    portalUrl: row.portal_url,
    theme: theme.success ? theme.data : {},
    allowedOrigins: (JSON.parse(row.allowed_origins) as unknown[]).filter((o): o is string => typeof o === 'string'),
    features: { ...DEFAULT_FEATURES, ...(features.success ? features.data : {}) },
    timeZone: isTimeZone(row.time_zone) ? row.time_zone : 'UTC',
  };
}

export function getProviderBySlug(db: Db, slug: string): Provider | undefined {
  const head = stmt<[string], { id: number; revision: number }>(db, 'SELECT id, revision FROM providers WHERE slug = ?').get(slug);
  if (!head) return undefined;
  const known = parsedOf(db).get(head.id);
  return known && known.revision === head.revision ? known.provider : getProviderById(db, head.id);
}

export function publicProvider(p: Provider): ProviderPublic {
  return { slug: p.slug, name: p.name, theme: p.theme, features: p.features, timeZone: p.timeZone };
}

export interface NewProvider {
  slug: string;
  name: string;
  portalUrl?: string | null;
  theme?: Theme;
  allowedOrigins?: string[];
  features?: Partial<Features>;
  /** An IANA zone such as `Australia/Sydney`; default UTC. */
  timeZone?: string;
}

/** Whether the runtime knows the zone (so every browser can format in it). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function createProvider(db: Db, p: NewProvider): Provider {
  stmt(
    db,
    `INSERT INTO providers (slug, name, portal_url, theme, allowed_origins, features, created_at, time_zone)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.slug,
    p.name,
    p.portalUrl ?? null,
    JSON.stringify(ThemeSchema.parse(p.theme ?? {})),
    JSON.stringify(p.allowedOrigins ?? []),
    JSON.stringify({ ...DEFAULT_FEATURES, ...p.features }),
    nowSeconds(),
    p.timeZone && isTimeZone(p.timeZone) ? p.timeZone : 'UTC',
  );
  return getProviderBySlug(db, p.slug)!;
}

export function setAllowedOrigins(db: Db, providerId: number, origins: string[]): void {
  stmt(db, 'UPDATE providers SET allowed_origins = ? WHERE id = ?').run(JSON.stringify(origins), providerId);
}

export function setPortalUrl(db: Db, providerId: number, url: string | null): void {
  stmt(db, 'UPDATE providers SET portal_url = ? WHERE id = ?').run(url, providerId);
}

export function getProviderById(db: Db, id: number): Provider | undefined {
  const row = stmt<[number], ProviderRow>(db, 'SELECT * FROM providers WHERE id = ?').get(id);
  return row && fromRow(db, row);
}
