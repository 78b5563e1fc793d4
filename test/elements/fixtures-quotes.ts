/** Element-test data for the quotes elements (Node side; called from fixtures.ts). */
import type { Db } from '../../server/db/index.js';

export async function seedQuotesFixtures(db: Db): Promise<void> {
  void db;
}
