/**
 * `npm run seed:large [-- --replace]`: loads the large data set (100,000 jobs over 1,000
 * companies, provider "bench-co") into DATA_DIR's database (default ./data/portal.db).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../server/db/index.js';
import { getProviderBySlug } from '../server/providers/data.js';
import { LARGE_DEFAULTS, loadLargeData } from './large-data.js';

const dataDir = resolve(process.env.DATA_DIR || './data');
const file = join(dataDir, 'portal.db');
mkdirSync(dataDir, { recursive: true });
const db = openDatabase(file);

const existing = getProviderBySlug(db, LARGE_DEFAULTS.slug);
if (existing) {
  if (!process.argv.includes('--replace')) {
    console.error(`Provider "${LARGE_DEFAULTS.slug}" is already in ${file}. Run with -- --replace to load it again.`);
    process.exit(1);
  }
  // Companies, contacts, jobs, timelines and sessions go with it (ON DELETE CASCADE).
  db.prepare('DELETE FROM providers WHERE id = ?').run(existing.id);
  console.log(`Removed the previous "${LARGE_DEFAULTS.slug}".`);
}

const data = await loadLargeData(db);
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
console.log(
  `Loaded ${data.jobs.toLocaleString('en')} jobs with ${data.events.toLocaleString('en')} timeline entries over ` +
    `${data.companies.toLocaleString('en')} companies into ${file} in ${(data.ms / 1000).toFixed(1)} s.\n` +
    `Provider: ${data.slug}. Log in as ${data.email} / ${data.password} (jobs: view all, company "Customer 1").`,
);
