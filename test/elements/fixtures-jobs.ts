/** Element-test data for the jobs elements (Node side; called from fixtures.ts). */
import type { Db } from '../../server/db/index.js';

export async function seedJobsFixtures(db: Db): Promise<void> {
  void db;
}
