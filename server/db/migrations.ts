import type { Db } from './index.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const perm = (column: string, values: string[], fallback: string): string =>
  `${column} TEXT NOT NULL DEFAULT '${fallback}' CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;
const flag = (column: string, fallback: 0 | 1): string =>
  `${column} INTEGER NOT NULL DEFAULT ${fallback} CHECK (${column} IN (0, 1))`;
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
