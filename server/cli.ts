/**
 * `npm run admin -- <command> [options]`: administration for a provider running the portal
 * themselves. Works on the database in DATA_DIR (default ./data), alongside a running server.
 */
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { inviteContact } from './sessions/accounts.js';
import { createCompany, createContact, findContactByEmail } from './companies/data.js';
import { getProviderBySlug } from './providers/data.js';
import { openDatabase, stmt, type Db } from './db/index.js';
import { ApiError } from './http/errors.js';
import { Mailer } from './mail/mailer.js';
import { defaultSettings, EnvError, readEnv, settingsFromEnv, type Settings } from './settings.js';
import { PROVIDER_USAGE, providerCommands, UsageError } from './cli-provider.js';
import { ALERTS_USAGE, alertCommands } from './alerts/cli.js';
import { FILES_USAGE, fileCommands } from './files/cli.js';


const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  invite --provider <slug> --email <address> [--name <name>] [--company <name> | --company-id <id>]
      Send a contact an invitation email with a one-time link to set their password
      (valid 7 days; a new invitation replaces the old link). Creates the contact first
      when --name and a company are given and the email is new; creates the company when
      --company names one that does not exist.

  outbox [--provider <slug>] [--limit <n>]
      List the latest mail in the outbox with its delivery status.

${PROVIDER_USAGE}
${ALERTS_USAGE}
${FILES_USAGE}

Environment: DATA_DIR (default ./data), SMTP_URL (deliver by SMTP; otherwise mail is kept for
the demo mailbox), MAIL_FROM (sender address).`;

interface Context {
  db: Db;
  mailer: Mailer;
  settings: Settings;
  out: (line: string) => void;
}

const Email = z.email();

function need(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required.`);
  return v.trim();
}

function provider(ctx: Context, slug: string) {
  const p = getProviderBySlug(ctx.db, slug);
  if (!p) throw new Error(`No provider "${slug}".`);
  return p;
}

async function invite(ctx: Context, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { provider: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, company: { type: 'string' }, 'company-id': { type: 'string' } },
    strict: true,
  });
  const p = provider(ctx, need(values, 'provider'));
  const email = need(values, 'email');
  if (!Email.safeParse(email).success) throw new UsageError(`--email: "${email}" is not an email address.`);

  let contact = findContactByEmail(ctx.db, p.id, email);
  if (!contact) {
    const name = values.name?.trim();
    if (!name || (!values.company && !values['company-id'])) {
      throw new UsageError(`No contact ${email} at ${p.slug}: give --name and --company (or --company-id) to create one.`);
    }
    let companyId: number;
    if (values['company-id']) {
      companyId = Number(values['company-id']);
      const exists = stmt<[number, number], { id: number }>(ctx.db, 'SELECT id FROM companies WHERE provider_id = ? AND id = ?').get(p.id, companyId);
      if (!exists) throw new Error(`No company ${values['company-id']} at ${p.slug}.`);
    } else {
      const companyName = values.company!.trim();
      const found = stmt<[number, string], { id: number }>(ctx.db, 'SELECT id FROM companies WHERE provider_id = ? AND name = ? COLLATE NOCASE').get(p.id, companyName);
      companyId = found?.id ?? createCompany(ctx.db, p.id, { name: companyName });
      if (!found) ctx.out(`Created company "${companyName}" (id ${companyId}).`);
    }
    const id = createContact(ctx.db, p.id, { companyId, email, name });
    ctx.out(`Created contact ${email} (id ${id}).`);
    contact = findContactByEmail(ctx.db, p.id, email)!;
  }
  const { expiresAt } = inviteContact(ctx, p, contact);
  await ctx.mailer.flush();
  ctx.out(`Invitation sent to ${email}; the link expires ${expiresAt.toISOString()}.`);
  if (ctx.mailer.local) ctx.out('No SMTP_URL is set: the email waits in the outbox; a running server sends it (SMTP) or shows it in the demo mailbox (/mailbox.html).');
}

function outbox(ctx: Context, args: string[]): void {
  const { values } = parseArgs({ args, options: { provider: { type: 'string' }, limit: { type: 'string' } }, strict: true });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000.');
  const providerId = values.provider ? provider(ctx, values.provider).id : null;
  const rows = stmt<[number | null, number | null, number], { id: number; recipient: string; subject: string; status: string; attempts: number; created_at: number; last_error: string | null }>(
    ctx.db,
    `SELECT id, recipient, subject, status, attempts, created_at, last_error FROM mail_outbox
      WHERE (? IS NULL OR provider_id = ?) ORDER BY id DESC LIMIT ?`,
  ).all(providerId, providerId, limit);
  if (!rows.length) ctx.out('The outbox is empty.');
  for (const r of rows) {
    ctx.out(`${r.id}\t${new Date(r.created_at * 1000).toISOString()}\t${r.status}\t${r.attempts} attempt(s)\t${r.recipient}\t${r.subject}${r.last_error ? `\t(${r.last_error})` : ''}`);
  }
}

const commands: Record<string, (ctx: Context, args: string[]) => Promise<void> | void> = { invite, outbox, ...providerCommands, ...alertCommands, ...fileCommands };

export async function runCli(argv: string[], out = console.log, err = console.error): Promise<number> {
  // Two-word commands ("key create") and one-word ones ("invite").
  const two = argv.slice(0, 2).join(' ');
  const [command, ...rest] = two in commands ? [two, ...argv.slice(2)] : argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  let env;
  try {
    env = readEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'portal.db'));
  const settings = defaultSettings({ ...settingsFromEnv(env), filesDir: join(dataDir, 'files'), log: err });
  const mailer = new Mailer(db, { smtpUrl: settings.smtpUrl, from: settings.mailFrom, log: err, onlyOwn: true });
  try {
    await run({ db, mailer, settings, out }, rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    err(`Error: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    mailer.stop();
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli.ts')) {
  process.exitCode = await runCli(process.argv.slice(2));
}
