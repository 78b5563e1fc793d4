/**
 * The server as its own process, for the crash test: serves DATA_DIR's database on a free port
 * and prints its URL as the first line. Killed with SIGKILL by the test, mid-write.
 */
import { startServer } from '../../server/server.js';

const many = { limit: 1_000_000, windowMs: 60_000 };
const server = await startServer({
  dataDir: process.argv[2]!,
  port: 0,
  settings: { log: () => {}, writeLimits: { perContact: many, perProvider: many }, addressLimit: many },
});
process.stdout.write(`${server.url}\n`);
