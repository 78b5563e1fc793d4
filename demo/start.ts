/**
 * The demo, wired around the server by the start-up (the server knows nothing of it): the demo
 * pages on two origins, the demo providers and contacts loaded into an empty database, the demo
 * mailbox, and the office simulator working their jobs through the provider API.
 */
import { join } from 'node:path';
import { startServer, type RunningServer } from '../server/server.js';
import type { Settings } from '../server/settings.js';
import { simulatorKeys, startOffice, type Office } from './office.js';
import { configureDemoProviders, hasDemoData, seedDemo } from './seed.js';
import { seedDemoFiles } from './photos.js';

export interface DemoOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** The demo pages again on a second origin; null: none. */
  demoPort?: number | null;
  /** Load the demo providers into an empty database (default true). */
  data?: boolean;
  /** Run the office simulator every this many ms; null: not at all. */
  officeIntervalMs?: number | null;
  settings?: Partial<Settings>;
}

export interface RunningDemo extends RunningServer {
  /** The office simulator, when running. */
  office: Office | null;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  let office: Office | null = null;
  const data = options.data ?? true;
  const server = await startServer({
    dataDir: options.dataDir,
    host: options.host,
    port: options.port,
    siteDir: join(import.meta.dirname, 'site'),
    sitePort: options.demoPort ?? null,
    settings: { demoMailbox: data, ...options.settings },
    async onListening(s) {
      if (!data) return;
      const origins = [s.url, s.url.replace('localhost', '127.0.0.1')];
      if (s.siteUrl) origins.push(s.siteUrl, s.siteUrl.replace('localhost', '127.0.0.1'));
      if (!hasDemoData(s.db)) {
        await seedDemo(s.db, origins);
        await seedDemoFiles(s.db, s.deps.files);
      }
      configureDemoProviders(s.db, origins, s.url);
      if (options.officeIntervalMs) {
        office = startOffice({ baseUrl: s.url.replace('localhost', '127.0.0.1'), keys: simulatorKeys(s.db), intervalMs: options.officeIntervalMs, log: s.settings.log });
        return () => office?.stop();
      }
    },
  });
  return Object.assign(server, { office });
}
