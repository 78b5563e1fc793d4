/** Element-test data for the equipment elements (Node side; called from fixtures.ts). */
import type { Db } from '../../server/db/index.js';

export async function seedEquipmentFixtures(db: Db): Promise<void> {
  void db;
}
