import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { startOffice, simulatorKeys, type Office } from '../demo/office.js';
import { configureDemoProviders, hasDemoData, seedDemo } from '../demo/seed.js';
import { seedDemoFiles } from '../demo/photos.js';
import { createApp } from './app.js';
import { openDatabase, type Db } from './db/index.js';
import { defaultSettings, type Settings } from './settings.js';
import { mountSite } from './site.js';

export interface ServerOptions {
  dataDir: string;
  host?: string;
  /** API and demo site; 0 picks a free port. */
  port?: number;
  /** The demo site again, on a second origin, talking to the API across origins. null: none. */
  demoPort?: number | null;
  /** Load the demo providers and contacts into an empty database. */
  demo?: boolean;
  /** Run the office simulator on the demo providers (moves their jobs along), every this many ms. */
  officeIntervalMs?: number | null;
  settings?: Partial<Settings>;
}

export interface RunningServer {
  url: string;
  demoUrl: string | null;
  db: Db;
  /** The office simulator, when running. */
  office: Office | null;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

function listen(app: Hono, port: number, host: string): Promise<ServerType> {
  return new Promise((ok, fail) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, () => ok(server));
    server.once('error', fail);
  });
}

const close = (s: ServerType | null): Promise<void> =>
  new Promise((ok) => (s ? s.close(() => ok()) : ok()));

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, 'portal.db'));
  const settings = defaultSettings({ demoMailbox: !!options.demo, filesDir: join(options.dataDir, 'files'), ...options.settings });

  let apiOrigin = '';
  const app = createApp(db, settings);
  // Before serving: what an upload cut off by a crash left behind goes.
  await app.deps.files.sweep();
  mountSite(app, { distDir: join(ROOT, 'dist'), demoDir: join(ROOT, 'demo', 'site'), apiOrigin: () => '' });
  const main = await listen(app, options.port ?? 8787, host);
  const mainPort = (main.address() as AddressInfo).port;
  apiOrigin = `http://localhost:${mainPort}`;
  // Known only once listening (port 0 picks one); the app reads settings per use.
  settings.publicUrl ??= apiOrigin;

  let second: ServerType | null = null;
  let demoUrl: string | null = null;
  if (options.demoPort !== null && options.demoPort !== undefined) {
    // Only the site: its pages call the API on the first origin.
    const site = new Hono();
    mountSite(site, { distDir: join(ROOT, 'dist'), demoDir: join(ROOT, 'demo', 'site'), apiOrigin: () => apiOrigin });
    second = await listen(site, options.demoPort, host);
    demoUrl = `http://localhost:${(second.address() as AddressInfo).port}`;
  }

  if (options.demo) {
    const origins = [`http://localhost:${mainPort}`, `http://127.0.0.1:${mainPort}`];
    if (demoUrl) origins.push(demoUrl, demoUrl.replace('localhost', '127.0.0.1'));
    if (!hasDemoData(db)) {
      await seedDemo(db, origins);
      await seedDemoFiles(db, app.deps.files);
    }
    configureDemoProviders(db, origins, `http://localhost:${mainPort}`);
  }

  let office: Office | null = null;
  if (options.demo && options.officeIntervalMs) {
    office = startOffice({ baseUrl: `http://127.0.0.1:${mainPort}`, keys: simulatorKeys(db), intervalMs: options.officeIntervalMs, log: settings.log });
  }

  const sweep = setInterval(() => void app.deps.auth.deleteExpired(), 60 * 60_000);
  sweep.unref();
  app.deps.mailer.start();
  app.deps.webhooks.start();

  return {
    url: `http://localhost:${mainPort}`,
    demoUrl,
    db,
    office,
    async close() {
      clearInterval(sweep);
      office?.stop();
      app.deps.mailer.stop();
      await app.deps.webhooks.stop();
      await Promise.all([close(main), close(second)]);
      db.close();
    },
  };
}
