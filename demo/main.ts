/** `npm start`: the server with the demo around it (demo/start.ts); the environment read once. */
import { resolve } from 'node:path';
import { closeOnSignal, environmentOrExit } from '../server/main.js';
import { settingsFromEnv } from '../server/settings.js';
import { startDemo } from './start.js';

const env = environmentOrExit();
const dataDir = resolve(env.DATA_DIR);
const server = await startDemo({
  dataDir,
  host: env.HOST,
  port: env.PORT,
  demoPort: env.DEMO_PORT === 'off' ? null : (env.DEMO_PORT ?? (env.PORT === 0 ? 0 : env.PORT + 1)),
  data: env.DEMO_DATA,
  // The office simulator works the demo providers' jobs through the provider API.
  officeIntervalMs: env.OFFICE_SIMULATOR ? 8_000 : null,
  settings: settingsFromEnv(env),
});

const u = server.url;
console.log(`
Customer portal is running.
  Demo site:          ${u}/
  Same demo, served from a second origin (calls the API across origins): ${server.siteUrl ?? 'off'}
  API:                ${u}/api/health · ${u}/api/openapi.json
  Database:           ${resolve(dataDir, 'portal.db')}
  Mail:               ${env.SMTP_URL ? 'delivered by SMTP (SMTP_URL)' : `kept locally; read it at ${u}/mailbox.html`}

Demo logins (password, what they may do):
  Acme Plumbing    ${u}/acme-plumbing.html
    alex@example.com    portal-demo-1  everything (jobs and quotes of the whole company)
    jordan@example.com  portal-demo-3  own jobs only; no quotes, equipment or map
    casey@example.com   portal-demo-4  own jobs (edit), own quotes (view)
  Bright Electric  ${u}/bright-electric.html
    sam@example.com     portal-demo-2  everything

Invite a new contact:  npm run admin -- invite --provider acme-plumbing --email you@example.com --name "Your Name" --company "Harbour View Apartments"
`);
closeOnSignal(server);
