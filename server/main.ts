/** The server alone (`npm run serve`): the API and the widget, no demo data or pages. */
import { resolve } from 'node:path';
import { startServer } from './server.js';
import { EnvError, readEnv, settingsFromEnv, type Environment } from './settings.js';

/** The environment, or the start-up stops with the variable named (exit 2). */
export function environmentOrExit(): Environment {
  try {
    return readEnv();
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}

/** Closes the server on Ctrl+C and SIGTERM. */
export function closeOnSignal(server: { close(): Promise<void> }): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const env = environmentOrExit();
  const dataDir = resolve(env.DATA_DIR);
  const server = await startServer({ dataDir, host: env.HOST, port: env.PORT, settings: settingsFromEnv(env) });
  console.log(`Customer portal is running (server only, no demo): API ${server.url}/api/health · widget ${server.url}/widget/portal.js · database ${resolve(dataDir, 'portal.db')}`);
  closeOnSignal(server);
}
