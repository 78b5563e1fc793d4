import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { openDatabase, type Db } from './db/index.js';
import { defaultSettings, type Settings } from './settings.js';
import { mountSite } from './site.js';
import { Geocoder } from './geocoding/worker.js';
import type { Deps } from './deps.js';

export interface ServerOptions {
  dataDir: string;
  host?: string;
  /** API, widget and site; 0 picks a free port. */
  port?: number;
  /** Pages served beside the widget (a provider's site; the demo's). None by default. */
  siteDir?: string;
  /** The site again, on a second origin, calling the API across origins. null: none. */
  sitePort?: number | null;
  settings?: Partial<Settings>;
  /**
   * Runs once the server listens and before its background work starts (the demo loads its data
   * here, knowing the ports); what it returns is called on close.
   */
  onListening?: (server: RunningServer) => Promise<(() => void) | void>;
}

export interface RunningServer {
  url: string;
  /** The second origin, when there is one. */
  siteUrl: string | null;
  db: Db;
  settings: Settings;
  /** The app's parts (file store, outboxes), for a start-up that adds to them (the demo's data). */
  deps: Deps;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

function listen(app: Hono, port: number, host: string): Promise<ServerType> {
  return new Promise((ok, fail) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, () => ok(server));
    server.once('error', fail);
  });
}

const close = (s: ServerType | null): Promise<void> => new Promise((ok) => (s ? s.close(() => ok()) : ok()));

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, 'portal.db'));
  const settings = defaultSettings({ filesDir: join(options.dataDir, 'files'), ...options.settings });
  const distDir = join(ROOT, 'dist');
  // Without pages, only the widget is served beside the API.
  const siteDir = options.siteDir ?? join(distDir, 'no-site');

  let apiOrigin = '';
  const app = createApp(db, settings);
  // Before serving: what an upload cut off by a crash left behind goes.
  await app.deps.files.sweep();
  mountSite(app, { distDir, demoDir: siteDir, apiOrigin: () => '' });
  const main = await listen(app, options.port ?? 8787, host);
  const mainPort = (main.address() as AddressInfo).port;
  apiOrigin = `http://localhost:${mainPort}`;
  // Known only once listening (port 0 picks one); the app reads settings per use.
  settings.publicUrl ??= apiOrigin;

  let second: ServerType | null = null;
  let siteUrl: string | null = null;
  if (options.sitePort !== null && options.sitePort !== undefined) {
    // Only the site: its pages call the API on the first origin.
    const site = new Hono();
    mountSite(site, { distDir, demoDir: siteDir, apiOrigin: () => apiOrigin });
    second = await listen(site, options.sitePort, host);
    siteUrl = `http://localhost:${(second.address() as AddressInfo).port}`;
  }

  let stopExtra: (() => void) | void = undefined;
  const sweep = setInterval(() => void app.deps.auth.deleteExpired(), 60 * 60_000);
  sweep.unref();
  // Only with a geocoder configured; otherwise jobs get coordinates from the office alone.
  const geocoder = settings.geocoderUrl ? new Geocoder(db, { url: settings.geocoderUrl, userAgent: settings.geocoderUserAgent, log: settings.log }) : null;
  const running: RunningServer = {
    url: apiOrigin,
    siteUrl,
    db,
    settings,
    deps: app.deps,
    async close() {
      clearInterval(sweep);
      stopExtra?.();
      app.deps.live.stop();
      geocoder?.stop();
      app.deps.mailer.stop();
      await app.deps.webhooks.stop();
      await app.deps.alerts.stop();
      await Promise.all([close(main), close(second)]);
      db.close();
    },
  };
  stopExtra = await options.onListening?.(running);
  app.deps.mailer.start();
  app.deps.webhooks.start();
  app.deps.alerts.start();
  geocoder?.start();
  return running;
}
