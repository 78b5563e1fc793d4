import type { Db } from './index.js';
import { ALERTS_MIGRATION } from '../alerts/migration.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const perm = (column: string, values: string[], fallback: string): string =>
  `${column} TEXT NOT NULL DEFAULT '${fallback}' CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;
const flag = (column: string, fallback: 0 | 1): string =>
  `${column} INTEGER NOT NULL DEFAULT ${fallback} CHECK (${column} IN (0, 1))`;
/**
 * Triggers moving a company's change counter on every insert, update and delete in `table`.
 * `company` is the SQL naming the row's company, with ROW for NEW or OLD.
 */
function bumpOnWrite(table: string, company = 'ROW.company_id'): string {
  const bump = (row: 'NEW' | 'OLD'): string => company.replaceAll('ROW.', `${row}.`);
  return `
      CREATE TRIGGER ${table}_version_insert AFTER INSERT ON ${table} BEGIN
        UPDATE company_versions SET version = version + 1 WHERE company_id = ${bump('NEW')};
      END;
      CREATE TRIGGER ${table}_version_update AFTER UPDATE ON ${table} BEGIN
        UPDATE company_versions SET version = version + 1 WHERE company_id IN (${bump('OLD')}, ${bump('NEW')});
      END;
      CREATE TRIGGER ${table}_version_delete AFTER DELETE ON ${table} BEGIN
        UPDATE company_versions SET version = version + 1 WHERE company_id = ${bump('OLD')};
      END;`;
}

const RECORD_ACCESS = ['none', 'view_own', 'view_all', 'edit_own', 'edit_all'];

/**
 * Forward-only. Never edit a migration that has shipped: add the next number.
 * Tenancy is enforced by the schema too: a contact's (provider, company) pair must name
 * a company of that same provider, so a row can never straddle two tenants.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'providers, companies, contacts, sessions',
    sql: `
      CREATE TABLE providers (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND length(slug) BETWEEN 2 AND 64),
        name TEXT NOT NULL,
        portal_url TEXT,
        theme TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(theme)),
        allowed_origins TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(allowed_origins)),
        features TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(features)),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE companies (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (provider_id, id)
      ) STRICT;
      CREATE INDEX companies_by_provider ON companies (provider_id, name);

      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        password_hash TEXT,
        ${flag('disabled', 0)},
        ${perm('perm_jobs', RECORD_ACCESS, 'view_own')},
        ${perm('perm_quotes', RECORD_ACCESS, 'view_own')},
        ${flag('perm_create_jobs', 1)},
        ${flag('perm_create_quotes', 1)},
        ${perm('perm_equipment', ['none', 'view', 'add'], 'view')},
        ${perm('perm_details', ['view', 'edit'], 'view')},
        ${flag('perm_map', 1)},
        ${flag('perm_alerts', 1)},
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (provider_id, email),
        UNIQUE (provider_id, company_id, id),
        FOREIGN KEY (provider_id, company_id) REFERENCES companies (provider_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX contacts_by_company ON contacts (provider_id, company_id);

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_contact ON sessions (contact_id);
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    `,
  },
  {
    version: 2,
    name: 'one-time links, mail outbox, audit log',
    sql: `
      -- Invitation and password-reset links. Only the SHA-256 of the token is stored.
      CREATE TABLE auth_links (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
        token_hash TEXT NOT NULL UNIQUE,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX auth_links_by_contact ON auth_links (contact_id, purpose, used_at);

      -- Mail waits here until delivered, so a crash or an SMTP outage loses nothing.
      -- After SMTP delivery the bodies are blanked: they may hold one-time links.
      CREATE TABLE mail_outbox (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        recipient TEXT NOT NULL,
        from_name TEXT NOT NULL,
        subject TEXT NOT NULL,
        text_body TEXT NOT NULL,
        html_body TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'kept', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      ) STRICT;
      CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        event TEXT NOT NULL,
        ip TEXT,
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_provider ON audit_log (provider_id, created_at);
      CREATE INDEX audit_log_by_contact ON audit_log (contact_id, created_at);
    `,
  },
  {
    version: 3,
    name: 'jobs with timelines, quotes with lines, equipment',
    sql: `
      ALTER TABLE providers ADD COLUMN next_job_number INTEGER NOT NULL DEFAULT 1001;
      ALTER TABLE providers ADD COLUMN next_quote_number INTEGER NOT NULL DEFAULT 501;

      -- "Own" records: created by the contact, or naming the contact (contact_id).
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('requested', 'scheduled', 'on_the_way', 'in_progress', 'on_hold', 'completed', 'cancelled')),
        address TEXT NOT NULL DEFAULT '',
        latitude REAL CHECK (latitude BETWEEN -90 AND 90),
        longitude REAL CHECK (longitude BETWEEN -180 AND 180),
        preferred_dates TEXT NOT NULL DEFAULT '',
        site_contact TEXT NOT NULL DEFAULT '',
        scheduled_start INTEGER,
        scheduled_end INTEGER,
        technician TEXT,
        source TEXT NOT NULL CHECK (source IN ('portal', 'office')),
        created_by_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        -- Lower-cased number, title and address: what the search box matches.
        search TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (provider_id, number),
        FOREIGN KEY (provider_id, company_id) REFERENCES companies (provider_id, id) ON DELETE CASCADE
      ) STRICT;
      -- Keyset paging per company, newest first, with or without a status filter.
      CREATE INDEX jobs_by_company_updated ON jobs (provider_id, company_id, updated_at DESC, id DESC);
      CREATE INDEX jobs_by_company_status ON jobs (provider_id, company_id, status, updated_at DESC, id DESC);
      CREATE INDEX jobs_by_company_created ON jobs (provider_id, company_id, created_at DESC, id DESC);
      CREATE INDEX jobs_by_creator ON jobs (created_by_contact_id, updated_at DESC);
      CREATE INDEX jobs_by_contact ON jobs (contact_id, updated_at DESC);
      CREATE INDEX jobs_by_provider_updated ON jobs (provider_id, updated_at, id);

      CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (type IN ('created', 'updated', 'scheduled', 'technician_assigned', 'status_changed', 'note')),
        status TEXT,
        message TEXT NOT NULL,
        actor TEXT NOT NULL CHECK (actor IN ('customer', 'office', 'system')),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX job_events_by_job ON job_events (job_id, id);

      CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('requested', 'sent', 'accepted', 'declined', 'expired')),
        currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
        total_cents INTEGER CHECK (total_cents >= 0),
        valid_until INTEGER,
        sent_at INTEGER,
        response_note TEXT,
        responded_at INTEGER,
        responded_by_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        source TEXT NOT NULL CHECK (source IN ('portal', 'office')),
        created_by_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        search TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (provider_id, number),
        FOREIGN KEY (provider_id, company_id) REFERENCES companies (provider_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX quotes_by_company_updated ON quotes (provider_id, company_id, updated_at DESC, id DESC);
      CREATE INDEX quotes_by_company_status ON quotes (provider_id, company_id, status, updated_at DESC, id DESC);
      CREATE INDEX quotes_by_creator ON quotes (created_by_contact_id);
      CREATE INDEX quotes_by_contact ON quotes (contact_id);

      CREATE TABLE quote_lines (
        id INTEGER PRIMARY KEY,
        quote_id INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        description TEXT NOT NULL,
        quantity REAL NOT NULL CHECK (quantity > 0),
        unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0)
      ) STRICT;
      CREATE INDEX quote_lines_by_quote ON quote_lines (quote_id, position);

      CREATE TABLE equipment (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        make TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        serial TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        installed_on TEXT CHECK (installed_on IS NULL OR date(installed_on) = installed_on),
        last_service_on TEXT CHECK (last_service_on IS NULL OR date(last_service_on) = last_service_on),
        next_service_on TEXT CHECK (next_service_on IS NULL OR date(next_service_on) = next_service_on),
        source TEXT NOT NULL CHECK (source IN ('portal', 'office')),
        created_by_contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        FOREIGN KEY (provider_id, company_id) REFERENCES companies (provider_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX equipment_by_company ON equipment (provider_id, company_id, name, id);
    `,
  },
  {
    version: 4,
    name: 'provider API keys, idempotency, webhooks, technician positions',
    sql: `
      -- Only the SHA-256 of a key is stored; the prefix identifies it in listings.
      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX api_keys_by_provider ON api_keys (provider_id);

      -- A retried write with the same Idempotency-Key gets the first answer again.
      CREATE TABLE idempotency_keys (
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (provider_id, key)
      ) STRICT;
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

      -- The signing secret must be readable to sign with (HMAC), so it is stored as is.
      CREATE TABLE webhook_endpoints (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
        secret TEXT NOT NULL,
        events TEXT NOT NULL DEFAULT '["*"]' CHECK (json_valid(events)),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX webhook_endpoints_by_provider ON webhook_endpoints (provider_id, active);

      CREATE TABLE webhook_events (
        id TEXT PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created_at INTEGER NOT NULL
      ) STRICT;

      -- One row per event and endpoint: the outbox the delivery worker drains, with retries.
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
        endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        delivered_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (event_id, endpoint_id)
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

      CREATE TABLE technician_positions (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        recorded_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX technician_positions_by_job ON technician_positions (job_id, recorded_at);
    `,
  },
  {
    version: 5,
    name: 'job list indexes cover the search text',
    sql: `
      -- The search box filters with LIKE on jobs.search: with it in the index, SQLite tests the
      -- pattern on index entries and reads table rows only for the page it returns.
      DROP INDEX jobs_by_company_updated;
      DROP INDEX jobs_by_company_status;
      CREATE INDEX jobs_by_company_updated ON jobs (provider_id, company_id, updated_at DESC, id DESC, search);
      CREATE INDEX jobs_by_company_status ON jobs (provider_id, company_id, status, updated_at DESC, id DESC, search);
    `,
  },
  {
    version: 6,
    name: 'change counters for the in-memory caches',
    sql: `
      -- A counter per company that every write to what the portal shows that company moves on,
      -- kept by triggers so writes from any connection or process count (the admin CLI, the
      -- office simulator, a second server). The portal's response cache keys on it.
      CREATE TABLE company_versions (
        company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      INSERT INTO company_versions (company_id) SELECT id FROM companies;
      CREATE TRIGGER companies_version_insert AFTER INSERT ON companies BEGIN
        INSERT INTO company_versions (company_id) VALUES (NEW.id);
      END;
      CREATE TRIGGER companies_version_update AFTER UPDATE ON companies BEGIN
        UPDATE company_versions SET version = version + 1 WHERE company_id IN (OLD.id, NEW.id);
      END;
      ${['contacts', 'jobs', 'quotes', 'equipment'].map((table) => bumpOnWrite(table)).join('\n')}
      ${[
        ['job_events', 'job_id', 'jobs'],
        ['quote_lines', 'quote_id', 'quotes'],
      ]
        .map(([table, key, parent]) => bumpOnWrite(table!, `(SELECT company_id FROM ${parent} WHERE id = ROW.${key})`))
        .join('\n')}

      -- A provider's settings (not its job and quote number counters) move its revision on,
      -- so a parsed provider can be reused until they change. The WHEN clause ends the recursion.
      ALTER TABLE providers ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
      CREATE TRIGGER providers_revision AFTER UPDATE OF slug, name, portal_url, theme, allowed_origins, features ON providers
      WHEN NEW.revision = OLD.revision BEGIN
        UPDATE providers SET revision = revision + 1 WHERE id = NEW.id;
      END;
    `,
  },
  {
    version: 7,
    name: 'sync indexes for companies and quotes',
    sql: `
      -- The provider API's updated_since lists page over (updated_at, id) per provider; jobs had
      -- this index from the start, companies and quotes scanned and sorted all of a provider's rows.
      CREATE INDEX companies_by_provider_updated ON companies (provider_id, updated_at, id);
      CREATE INDEX quotes_by_provider_updated ON quotes (provider_id, updated_at, id);
    `,
  },
  {
    version: 8,
    name: 'job files (photos and documents)',
    sql: `
      -- The job's (provider, company, id) triple must name one real job, so a file can never
      -- belong to one tenant's job while carrying another tenant's ids.
      CREATE UNIQUE INDEX jobs_tenant_key ON jobs (provider_id, company_id, id);
      CREATE TABLE job_files (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL,
        company_id INTEGER NOT NULL,
        job_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
        -- Who added it: the office (provider API, CLI) or a customer contact (contact_id).
        added_by TEXT NOT NULL CHECK (added_by IN ('office', 'customer')),
        contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
        original_name TEXT NOT NULL,
        -- What the uploaded bytes were (magic bytes), and what is served (images are re-encoded).
        uploaded_type TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        -- Of the served bytes; also their storage key (content-addressed).
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        thumb_sha256 TEXT CHECK (thumb_sha256 IS NULL OR length(thumb_sha256) = 64),
        width INTEGER,
        height INTEGER,
        caption TEXT NOT NULL DEFAULT '',
        ${flag('viewable', 0)},
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        FOREIGN KEY (provider_id, company_id, job_id) REFERENCES jobs (provider_id, company_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX job_files_by_job ON job_files (provider_id, job_id, id) WHERE deleted_at IS NULL;
      -- Storage used per company (the quota) and whether a stored object is still referenced.
      CREATE INDEX job_files_by_company ON job_files (provider_id, company_id, size) WHERE deleted_at IS NULL;
      CREATE INDEX job_files_by_sha ON job_files (sha256);
      CREATE INDEX job_files_by_thumb ON job_files (thumb_sha256) WHERE thumb_sha256 IS NOT NULL;

      -- Server secrets made on first use when the deployment configures none (the file URL key).
      CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'live event log, geocoding queue and cache, provider map settings',
    sql: `
      -- What the live stream (server/live/) carries, in commit order. AUTOINCREMENT: an id is never
      -- reused after old rows are pruned, so a Last-Event-ID always means the same point in the log.
      -- scope and the owner columns are what the stream filters by, with the REST routes' rules:
      -- job and quote records by the contact's reach (own = created by or naming the contact),
      -- positions also by the map switches, company events for every contact of the company,
      -- contact events for that contact only.
      CREATE TABLE live_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (length(type) BETWEEN 3 AND 60),
        scope TEXT NOT NULL CHECK (scope IN ('job', 'quote', 'position', 'company', 'contact')),
        created_by_contact_id INTEGER,
        contact_id INTEGER,
        data TEXT NOT NULL CHECK (json_valid(data)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX live_events_by_company ON live_events (provider_id, company_id, id);
      CREATE INDEX live_events_by_age ON live_events (created_at);

      -- Moves whenever a stream's right to what it hears may have changed: a session ended, a
      -- contact disabled, moved or given other permissions, a provider's features changed. The hubs
      -- re-check their streams' sessions only when it moved (not on every write).
      CREATE TABLE live_access_versions (
        provider_id INTEGER PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
        version INTEGER NOT NULL
      ) STRICT;
      -- (Not while the provider itself is being deleted: its rows here go with it.)
      CREATE TRIGGER sessions_live_access AFTER DELETE ON sessions WHEN EXISTS (SELECT 1 FROM providers WHERE id = OLD.provider_id) BEGIN
        INSERT INTO live_access_versions (provider_id, version) VALUES (OLD.provider_id, 1)
          ON CONFLICT (provider_id) DO UPDATE SET version = version + 1;
      END;
      CREATE TRIGGER contacts_live_access AFTER UPDATE OF disabled, company_id, perm_jobs, perm_quotes, perm_map ON contacts
      WHEN EXISTS (SELECT 1 FROM providers WHERE id = NEW.provider_id) BEGIN
        INSERT INTO live_access_versions (provider_id, version) VALUES (NEW.provider_id, 1)
          ON CONFLICT (provider_id) DO UPDATE SET version = version + 1;
      END;
      CREATE TRIGGER providers_live_access AFTER UPDATE OF features ON providers BEGIN
        INSERT INTO live_access_versions (provider_id, version) VALUES (NEW.id, 1)
          ON CONFLICT (provider_id) DO UPDATE SET version = version + 1;
      END;

      -- Addresses waiting for the geocoder (server/geocoding/), with retries.
      CREATE TABLE geocode_queue (
        id INTEGER PRIMARY KEY,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'not_found', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX geocode_queue_due ON geocode_queue (status, next_attempt_at);
      CREATE INDEX geocode_queue_by_job ON geocode_queue (job_id);

      -- One answer per provider and address (lower-cased, spaces collapsed); found = 0: the geocoder knows no such place.
      CREATE TABLE geocode_cache (
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        query TEXT NOT NULL,
        found INTEGER NOT NULL CHECK (found IN (0, 1)),
        latitude REAL CHECK (latitude BETWEEN -90 AND 90),
        longitude REAL CHECK (longitude BETWEEN -180 AND 180),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (provider_id, query)
      ) STRICT;

      -- Exact technician positions are shown only where the provider allows it, and only on the way.
      CREATE TABLE provider_map_settings (
        provider_id INTEGER PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
        exact_position_on_the_way INTEGER NOT NULL DEFAULT 0 CHECK (exact_position_on_the_way IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'job alerts: provider settings, destinations, subscriptions, alerts outbox',
    sql: ALERTS_MIGRATION,
  },
  {
    version: 13,
    name: 'timeline entries as data; provider time zone',
    sql: `
      -- What a timeline entry says, as data the browser formats in the viewer's time zone
      -- (message stays, for clients that show it as it is).
      ALTER TABLE job_events ADD COLUMN scheduled_start INTEGER;
      ALTER TABLE job_events ADD COLUMN scheduled_end INTEGER;
      ALTER TABLE job_events ADD COLUMN technician TEXT;
      ALTER TABLE job_events ADD COLUMN note TEXT;
      -- Entries written before: their times and names, read back from the text the server wrote.
      UPDATE job_events SET scheduled_start = CAST(strftime('%s', substr(message, 15, 16)) AS INTEGER)
        WHERE type = 'scheduled' AND message GLOB 'Scheduled for [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC*';
      UPDATE job_events SET technician = substr(message, 13) WHERE type = 'technician_assigned' AND message LIKE 'Technician: %';
      -- A job request's preferred day and time of day, as data (preferred_dates keeps the free notes).
      ALTER TABLE jobs ADD COLUMN preferred_date TEXT CHECK (preferred_date IS NULL OR preferred_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
      ALTER TABLE jobs ADD COLUMN preferred_window TEXT CHECK (preferred_window IS NULL OR preferred_window IN ('morning', 'afternoon', 'any'));
      -- The IANA zone the provider works in, so a customer elsewhere sees both times.
      ALTER TABLE providers ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
    `,
  },
  {
    version: 14,
    name: 'job list indexes carry the owner columns',
    sql: `
      -- A page of the job list is found on the index alone: its ids (and the sort key for the
      -- cursor) with the search text, the status and who the job is for tested on index entries.
      -- "Own jobs" viewers no longer read a table row per job they walk past, and a search or a
      -- status filter sorted by creation tests the index too. The page's summaries are read by id
      -- (or come from the response cache's record fragments).
      DROP INDEX jobs_by_company_updated;
      DROP INDEX jobs_by_company_status;
      DROP INDEX jobs_by_company_created;
      CREATE INDEX jobs_by_company_updated ON jobs (provider_id, company_id, updated_at DESC, id DESC, search, created_by_contact_id, contact_id);
      CREATE INDEX jobs_by_company_status ON jobs (provider_id, company_id, status, updated_at DESC, id DESC, search, created_by_contact_id, contact_id);
      CREATE INDEX jobs_by_company_created ON jobs (provider_id, company_id, created_at DESC, id DESC, search, status, created_by_contact_id, contact_id);
    `,
  },
];

export function migrate(db: Db): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  let count = 0;
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Math.floor(Date.now() / 1000),
      );
    })();
    count++;
  }
  return count;
}
