/** The SQLite schema: migrations run once, STRICT tables, foreign keys, tenancy in the schema. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, describe, test } from 'node:test';
import { createCompany, createContact } from '../../server/companies/data.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { migrate, migrations } from '../../server/db/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'portal-db-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface MigrationRow {
  version: number;
  name: string;
  applied_at: number;
}

const migrationRows = (db: Db): MigrationRow[] =>
  db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as MigrationRow[];

const schema = (db: Db): unknown[] =>
  db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();

const userTables = (db: Db): { name: string; strict: number }[] =>
  (db.prepare('PRAGMA table_list').all() as { schema: string; name: string; type: string; strict: number }[]).filter(
    (t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'),
  );

function twoProviders(db: Db) {
  const a = createProvider(db, { slug: 'prov-a', name: 'A' });
  const b = createProvider(db, { slug: 'prov-b', name: 'B' });
  return { a, b, companyA: createCompany(db, a.id, { name: 'A Co' }), companyB: createCompany(db, b.id, { name: 'B Co' }) };
}

describe('migrations', () => {
  // Numbers are handed out to parallel branches (8–12 are reserved), so a branch may skip some.
  test('numbered in increasing order from 1, without duplicates', () => {
    assert.ok(migrations.length >= 1);
    const versions = migrations.map((m) => m.version);
    assert.equal(versions[0], 1);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `migration ${versions[i]} comes after ${versions[i - 1]}`);
    for (const m of migrations) assert.ok(m.name.trim().length > 0, `migration ${m.version} has a name`);
  });

  test('opening a database file twice: the second run applies nothing; one schema_migrations row per migration', () => {
    const file = join(dir, 'twice.db');
    const first = openDatabase(file);
    const rows = migrationRows(first);
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      migrations.map((m) => [m.version, m.name]),
    );
    const schemaAfterFirst = schema(first);
    assert.equal(first.pragma('journal_mode', { simple: true }), 'wal');
    createProvider(first, { slug: 'kept', name: 'Data survives a restart' });
    first.close();

    const second = openDatabase(file);
    assert.deepEqual(migrationRows(second), rows, 'no migration re-applied (same rows, same applied_at)');
    assert.deepEqual(schema(second), schemaAfterFirst, 'schema unchanged');
    assert.equal(second.prepare("SELECT count(*) FROM providers WHERE slug = 'kept'").pluck().get(), 1);
    assert.equal(migrate(second), 0, 'nothing left to apply');
    assert.equal(migrationRows(second).length, migrations.length);
    second.close();
  });

  test('a database at an older version gets only the newer migrations', () => {
    const db = new Database(join(dir, 'old.db'));
    db.pragma('foreign_keys = ON');
    // A database from the first release: migration 1 applied by hand, as that release did.
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
    db.exec(migrations[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 1)').run(migrations[0]!.name);
    db.close();

    const upgraded = openDatabase(join(dir, 'old.db'));
    const rows = migrationRows(upgraded);
    assert.deepEqual(
      rows.map((r) => r.version),
      migrations.map((m) => m.version),
    );
    assert.equal(rows[0]!.applied_at, 1, 'migration 1 was not run again');
    const withoutBookkeeping = (d: Db) => schema(d).filter((o) => (o as { name: string }).name !== 'schema_migrations');
    assert.deepEqual(withoutBookkeeping(upgraded), withoutBookkeeping(openDatabase(':memory:')), 'same schema as a fresh database');
    upgraded.close();
  });

  test('a failing migration leaves nothing half-applied', () => {
    const db = openDatabase(':memory:');
    const before = schema(db);
    const bad = { version: migrations.at(-1)!.version + 1, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER) STRICT; THIS IS NOT SQL;' };
    migrations.push(bad);
    try {
      assert.throws(() => migrate(db));
    } finally {
      migrations.pop();
    }
    assert.deepEqual(schema(db), before, 'the table created before the error is rolled back');
    assert.equal(migrationRows(db).length, migrations.length, 'the broken migration is not recorded');
  });
});

describe('schema', () => {
  test('foreign keys are enforced', () => {
    const db = openDatabase(':memory:');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.throws(
      () => db.prepare("INSERT INTO companies (provider_id, name, created_at, updated_at) VALUES (999, 'Ghost', 0, 0)").run(),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
    assert.equal(db.prepare('SELECT count(*) FROM companies').pluck().get(), 0);
    assert.deepEqual(db.pragma('foreign_key_check'), [], 'no dangling rows');
  });

  test('every table is STRICT', () => {
    const db = openDatabase(':memory:');
    const tables = userTables(db);
    for (const t of ['providers', 'companies', 'contacts', 'sessions', 'schema_migrations']) {
      assert.ok(tables.some((x) => x.name === t), `table ${t} exists`);
    }
    const loose = tables.filter((t) => t.strict !== 1).map((t) => t.name);
    assert.deepEqual(loose, [], 'tables without STRICT');
  });

  test('a STRICT table refuses a string in an INTEGER column', () => {
    const db = openDatabase(':memory:');
    const { a, companyA } = twoProviders(db);
    assert.throws(
      () => db.prepare("INSERT INTO companies (provider_id, name, created_at, updated_at) VALUES (?, 'X', 'yesterday', 0)").run(a.id),
      /cannot store TEXT value in INTEGER column/,
    );
    assert.throws(
      () =>
        db
          .prepare("INSERT INTO sessions (id, contact_id, provider_id, expires_at, created_at) VALUES ('s', ?, ?, 'never', 0)")
          .run(companyA, a.id),
      /cannot store TEXT value in INTEGER column/,
    );
    assert.equal(db.prepare('SELECT count(*) FROM companies').pluck().get(), 2);
  });

  test('a contact whose company belongs to another provider cannot be inserted (composite foreign key)', () => {
    const db = openDatabase(':memory:');
    const { a, b, companyA, companyB } = twoProviders(db);
    assert.throws(
      () => createContact(db, b.id, { companyId: companyA, email: 'x@example.com', name: 'Straddler' }),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
    assert.throws(
      () => createContact(db, a.id, { companyId: companyB, email: 'y@example.com', name: 'Straddler' }),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
    assert.equal(db.prepare('SELECT count(*) FROM contacts').pluck().get(), 0);
    // Nor can an existing contact be moved across.
    const id = createContact(db, a.id, { companyId: companyA, email: 'z@example.com', name: 'Stays' });
    assert.throws(
      () => db.prepare('UPDATE contacts SET company_id = ? WHERE id = ?').run(companyB, id),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
    assert.throws(
      () => db.prepare('UPDATE contacts SET provider_id = ? WHERE id = ?').run(b.id, id),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
  });

  test('contact emails are unique per provider regardless of case, but may repeat across providers', () => {
    const db = openDatabase(':memory:');
    const { a, b, companyA, companyB } = twoProviders(db);
    createContact(db, a.id, { companyId: companyA, email: 'pat@example.com', name: 'Pat' });
    assert.throws(
      () => createContact(db, a.id, { companyId: companyA, email: 'PAT@Example.com', name: 'Pat again' }),
      (e: Error & { code?: string }) => e.code === 'SQLITE_CONSTRAINT_UNIQUE',
    );
    createContact(db, b.id, { companyId: companyB, email: 'pat@example.com', name: 'Pat at B' });
    assert.equal(db.prepare('SELECT count(*) FROM contacts').pluck().get(), 2);
  });

  test('permission columns accept only known values', () => {
    const db = openDatabase(':memory:');
    const { a, companyA } = twoProviders(db);
    const id = createContact(db, a.id, { companyId: companyA, email: 'q@example.com', name: 'Q' });
    assert.throws(() => db.prepare("UPDATE contacts SET perm_jobs = 'root' WHERE id = ?").run(id), /CHECK constraint/);
    assert.throws(() => db.prepare('UPDATE contacts SET disabled = 2 WHERE id = ?').run(id), /CHECK constraint/);
  });

  test('deleting a provider removes its companies, contacts and sessions', () => {
    const db = openDatabase(':memory:');
    const { a, b, companyA, companyB } = twoProviders(db);
    const ca = createContact(db, a.id, { companyId: companyA, email: 'a@example.com', name: 'A' });
    const cb = createContact(db, b.id, { companyId: companyB, email: 'b@example.com', name: 'B' });
    const insert = db.prepare('INSERT INTO sessions (id, contact_id, provider_id, expires_at, created_at) VALUES (?, ?, ?, 0, 0)');
    insert.run('sa', ca, a.id);
    insert.run('sb', cb, b.id);
    db.prepare('DELETE FROM providers WHERE id = ?').run(a.id);
    assert.deepEqual(db.prepare('SELECT id FROM sessions').pluck().all(), ['sb']);
    assert.deepEqual(db.prepare('SELECT id FROM contacts').pluck().all(), [cb]);
    assert.deepEqual(db.prepare('SELECT id FROM companies').pluck().all(), [companyB]);
  });
});
