/** `npm run admin -- files …` against a DATA_DIR, run in this process through runCli. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../server/cli.js';
import { createCompany } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase } from '../../server/db/index.js';
import { photo, storedObjects } from './files-helpers.js';

async function admin(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('files add (hidden by default), list, show, hide, remove, sweep; bad files and ids are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-files-cli-'));
  process.env.DATA_DIR = dir;
  const db = openDatabase(join(dir, 'portal.db'));
  const p = createProvider(db, { slug: 'acme', name: 'Acme' });
  const other = createProvider(db, { slug: 'other', name: 'Other' });
  const job = insertJob(db, p.id, { companyId: createCompany(db, p.id, { name: 'Co' }), title: 'Boiler', source: 'office' });
  db.close();
  const jpg = join(dir, 'after.jpg');
  writeFileSync(jpg, await photo({ gps: true }));
  const svg = join(dir, 'x.svg');
  writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"/>');

  const added = await admin('files', 'add', '--provider', 'acme', '--job', String(job), '--file', jpg, '--caption', 'After');
  assert.equal(added.code, 0, added.err);
  const id = /Added file (\d+)/.exec(added.out)![1]!;
  assert.match(added.out, /\thidden\tphoto\toffice\t.*after\.jpg\tAfter/);
  assert.equal(storedObjects(join(dir, 'files')).length, 2, 'the photo and its thumbnail');

  assert.match((await admin('files', 'show', '--provider', 'acme', '--id', id)).out, new RegExp(`^${id}\tviewable`));
  assert.match((await admin('files', 'list', '--provider', 'acme', '--job', String(job))).out, new RegExp(`^${id}\tviewable`));
  assert.match((await admin('files', 'hide', '--provider', 'acme', '--id', id)).out, new RegExp(`^${id}\thidden`));

  const wrongType = await admin('files', 'add', '--provider', 'acme', '--job', String(job), '--file', svg);
  assert.equal(wrongType.code, 1);
  assert.match(wrongType.err, /cannot be added/);
  assert.equal((await admin('files', 'add', '--provider', 'acme', '--job', String(job), '--file', join(dir, 'missing.jpg'))).code, 2);
  assert.equal((await admin('files', 'show', '--provider', 'other', '--id', id)).code, 1, "another provider's file");
  assert.equal((await admin('files', 'list', '--provider', 'acme', '--job', 'x')).code, 2);
  assert.equal(other.slug, 'other');

  const removed = await admin('files', 'remove', '--provider', 'acme', '--id', id);
  assert.equal(removed.code, 0, removed.err);
  assert.deepEqual(storedObjects(join(dir, 'files')), []);
  assert.match((await admin('files', 'list', '--provider', 'acme', '--job', String(job))).out, /no files/);
  assert.match((await admin('files', 'sweep')).out, /Removed 0 stored object/);
});
