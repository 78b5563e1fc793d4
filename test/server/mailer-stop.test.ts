/**
 * The admin CLI's closing race: it queues a mail, delivers it, stops the mailer and closes the
 * database at once; the delivery enqueue() scheduled must not run against the closed database
 * ("mail outbox: The database connection is not open" after a successful invite).
 */
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { openDatabase } from '../../server/db/index.js';
import { Mailer } from '../../server/mail/mailer.js';
import { createProvider } from '../../server/providers/data.js';

test('a delivery scheduled before stop() does nothing once the database is closed', async () => {
  const db = openDatabase(':memory:');
  const provider = createProvider(db, { slug: 'acme', name: 'Acme' });
  const logged: string[] = [];
  const mailer = new Mailer(db, { from: 'portal@example.com', log: (line) => logged.push(line) });
  mailer.enqueue({ providerId: provider.id, to: 'a@example.com', fromName: 'Acme', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>', kind: 'invite' });
  assert.equal(await mailer.flush(), 1, 'kept in the local outbox');
  mailer.stop();
  db.close();
  await tick();
  await tick();
  assert.deepEqual(logged, []);
  assert.equal(await mailer.flush(), 0);
});
