/** `npm start`: the API, the widget and the demo site, with demo data on first run. */
import { resolve } from 'node:path';
import { startServer } from './server.js';
import { settingsFromEnv } from './settings.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number (0-65535), not "${raw}".`);
    process.exit(2);
  }
  return n;
}

const dataDir = resolve(process.env.DATA_DIR || './data');
const mainPort = port('PORT', 8787);
const server = await startServer({
  dataDir,
  host: process.env.HOST || '127.0.0.1',
  port: mainPort,
  demoPort: process.env.DEMO_PORT === 'off' ? null : port('DEMO_PORT', mainPort === 0 ? 0 : mainPort + 1),
  demo: process.env.DEMO_DATA !== 'off',
  // The office simulator works the demo providers' jobs through the provider API.
  officeIntervalMs: process.env.OFFICE_SIMULATOR === 'off' ? null : 8_000,
  settings: settingsFromEnv(),
});

console.log(`
Customer portal is running.
  Demo site:          ${server.url}/
  Same demo, served from a second origin (calls the API across origins): ${server.demoUrl ?? 'off'}
  API:                ${server.url}/api/health · ${server.url}/api/openapi.json
  Database:           ${resolve(dataDir, 'portal.db')}
  Mail:               ${process.env.SMTP_URL ? 'delivered by SMTP (SMTP_URL)' : `kept locally; read it at ${server.url}/mailbox.html`}

Demo logins:
  Acme Plumbing    ${server.url}/acme-plumbing.html    alex@example.com / portal-demo-1
  Bright Electric  ${server.url}/bright-electric.html  sam@example.com  / portal-demo-2

Invite a new contact:  npm run admin -- invite --provider acme-plumbing --email you@example.com --name "Your Name" --company "Harbour View Apartments"
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
