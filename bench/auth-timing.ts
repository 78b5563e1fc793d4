/**
 * Does the answer's timing tell which emails exist? Medians of log-in (wrong password vs unknown
 * email) and of "forgot password" (known vs unknown address), in one process, interleaved so
 * that machine noise hits both sides alike. Reported as ratios; 1.00 means indistinguishable.
 */
import { createApp } from '../server/app.js';
import { hashPassword } from '../server/auth/password.js';
import { createCompany, createContact } from '../server/companies/data.js';
import { createProvider } from '../server/providers/data.js';
import { openDatabase } from '../server/db/index.js';
import { defaultSettings } from '../server/settings.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function authTiming(rounds = 40): Promise<{ login: [number, number]; forgot: [number, number] }> {
  const db = openDatabase(':memory:');
  const p = createProvider(db, { slug: 'timing', name: 'Timing Co', portalUrl: 'http://localhost/portal' });
  const company = createCompany(db, p.id, { name: 'Co' });
  const hash = await hashPassword('the right password');
  for (let i = 0; i < rounds; i++) createContact(db, p.id, { companyId: company, email: `known${i}@example.com`, name: `Known ${i}`, passwordHash: hash });
  const settings = defaultSettings({ log: () => {} });
  settings.loginLimits.perAccount.limit = settings.loginLimits.perIp.limit = 1e9;
  settings.resetLimits.perAddress.limit = settings.resetLimits.perIp.limit = 1e9;
  const app = createApp(db, settings);
  const post = async (path: string, body: object): Promise<number> => {
    const t = performance.now();
    const r = await app.request(`/api/portal/timing/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await r.arrayBuffer();
    const elapsed = performance.now() - t;
    // Let work deferred past the answer finish outside the timed span, as it would after a real response.
    await new Promise((done) => setImmediate(done));
    return elapsed;
  };
  const wrong: number[] = [], unknown: number[] = [], known: number[] = [], nobody: number[] = [];
  await post('session', { email: 'warmup@example.com', password: 'x' });
  // Alternate which side goes first, so order effects (caches, GC) fall on both alike.
  const pair = async (a: () => Promise<number>, b: () => Promise<number>, i: number): Promise<[number, number]> =>
    i % 2 ? [await a(), await b()] : ([await b(), await a()].reverse() as [number, number]);
  for (let i = 0; i < rounds; i++) {
    const [w, u] = await pair(
      () => post('session', { email: `known${i}@example.com`, password: 'a wrong password' }),
      () => post('session', { email: `unknown${i}@example.com`, password: 'a wrong password' }),
      i,
    );
    const [k, n] = await pair(
      () => post('password/forgot', { email: `known${i}@example.com` }),
      () => post('password/forgot', { email: `nobody${i}@example.com` }),
      i,
    );
    wrong.push(w), unknown.push(u), known.push(k), nobody.push(n);
  }
  app.deps.mailer.stop();
  return { login: [median(wrong), median(unknown)], forgot: [median(known), median(nobody)] };
}

export function printAuthTiming(r: Awaited<ReturnType<typeof authTiming>>): void {
  const row = (name: string, [a, b]: [number, number], la: string, lb: string) =>
    console.log(`  ${name.padEnd(16)} ${la} ${a.toFixed(2)} ms · ${lb} ${b.toFixed(2)} ms · ratio ${(b / a).toFixed(2)}`);
  console.log('\nAccount enumeration by timing (medians, interleaved):');
  row('log in', r.login, 'wrong password', 'unknown email');
  row('forgot password', r.forgot, 'known address', 'unknown address');
}

if (process.argv[1]?.endsWith('auth-timing.ts')) printAuthTiming(await authTiming());
