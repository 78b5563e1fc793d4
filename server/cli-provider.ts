/** Admin commands for a provider running the portal: itself, its keys, companies and webhooks. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from './providers/api-keys.js';
import { createCompany } from './companies/data.js';
import { createProvider, getProviderBySlug, isTimeZone, type Provider } from './providers/data.js';
import { stmt, type Db } from './db/index.js';
import { WebhookEndpointCreate } from './webhooks/schemas.js';
import type { Settings } from './settings.js';
import { targetProblem } from './webhooks/target.js';
import { ThemeSchema, type Theme } from './providers/schemas.js';
import { ApiError } from './http/errors.js';
import { addWebhookEndpoint, listDeliveries, listWebhookEndpoints, removeWebhookEndpoint, retryDeliveries, type DeliveryInfo } from './webhooks/outbox.js';

export class UsageError extends Error {}

export interface CliContext {
  db: Db;
  settings: Pick<Settings, 'webhookPrivateTargets'>;
  out: (line: string) => void;
}

export const PROVIDER_USAGE = `  provider create --slug <slug> --name <name> [--portal-url <url>] [--origin <origin>]…
                  [--brand-color #hex] [--accent-color #hex] [--font-family <font>] [--radius 6px]
                  [--color-scheme light|dark] [--logo <url or /path>] [--time-zone Area/City]
      Create a provider (a tenant): its slug is in the portal's API paths and the tags' provider attribute.
  provider update --slug <slug> [--name …] [--portal-url …] [--origin …]… [theme options as above]
      Change a provider; --origin replaces the list of origins allowed to call the API.
  provider features --slug <slug> [--map on|off] [--alerts on|off]
  provider show --slug <slug>
  key create --provider <slug> --name <label>     Create an API key (printed once; only its hash is kept).
  key list --provider <slug>
  key revoke --provider <slug> --key <id or prefix>
  company add --provider <slug> --name <name> [--address …] [--phone …] [--email …]
  webhook add --provider <slug> --url <http(s) url> [--events job.created,quote.accepted,…]
      Register an endpoint; prints its signing secret once.
  webhook list --provider <slug>
  webhook remove --provider <slug> --id <id>
  deliveries --provider <slug> [--status pending|delivered|failed] [--limit <n>]
  deliveries retry --provider <slug> (--id <delivery id> | --all-failed [--endpoint <id>])
      Send failed deliveries again, with a fresh set of attempts; the running server sends them
      within seconds. Delivered ones are never sent again; removed endpoints receive nothing.`;

const THEME_OPTIONS = {
  'brand-color': { type: 'string' },
  'accent-color': { type: 'string' },
  'font-family': { type: 'string' },
  radius: { type: 'string' },
  'color-scheme': { type: 'string' },
  logo: { type: 'string' },
  'time-zone': { type: 'string' },
} as const;

/** The provider's IANA zone from --time-zone (appointments are shown in it beside the viewer's). */
const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/London');

export function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required.`);
  return v.trim();
}

export function providerOf(db: Db, slug: string): Provider {
  const p = getProviderBySlug(db, slug);
  if (!p) throw new Error(`No provider "${slug}".`);
  return p;
}

/** A record's id given as --name: a positive whole number. */
export function idOption(values: Record<string, unknown>, name: string, what: string): number {
  const id = need(values, name);
  if (!/^[1-9]\d{0,14}$/.test(id)) throw new UsageError(`--${name} must be the number of ${what}.`);
  return Number(id);
}

/** zod's first problem as "--option: message". */
function check<T>(schema: z.ZodType<T>, value: unknown, flag: (path: string) => string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new UsageError(`${flag(String(issue.path[0] ?? ''))}: ${issue.message}`);
}

const FLAG: Record<string, string> = { brandColor: '--brand-color', accentColor: '--accent-color', fontFamily: '--font-family', radius: '--radius', colorScheme: '--color-scheme', logoUrl: '--logo' };

function themeFrom(values: Record<string, unknown>): Theme {
  const raw = {
    brandColor: values['brand-color'],
    accentColor: values['accent-color'],
    fontFamily: values['font-family'],
    radius: values.radius,
    colorScheme: values['color-scheme'],
    logoUrl: values.logo,
  };
  return check(ThemeSchema, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)), (p) => FLAG[p] ?? p);
}

const Origin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return /^https?:$/.test(u.protocol) && u.origin === o;
  } catch {
    return false;
  }
}, 'must be an origin like https://www.example.com (scheme, host and port only)');
const PortalUrl = z.url().refine((u) => /^https?:/.test(u), 'must be an http(s) URL');
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2 to 64 lowercase letters, digits or dashes');

function providerCreate(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { slug: { type: 'string' }, name: { type: 'string' }, 'portal-url': { type: 'string' }, origin: { type: 'string', multiple: true }, ...THEME_OPTIONS } });
  const slug = check(Slug, need(values, 'slug'), () => '--slug');
  const name = need(values, 'name');
  const portalUrl = values['portal-url'] === undefined ? null : check(PortalUrl, values['portal-url'], () => '--portal-url');
  const origins = (values.origin ?? []).map((o) => check(Origin, o, () => '--origin'));
  if (getProviderBySlug(ctx.db, slug)) throw new Error(`A provider "${slug}" already exists.`);
  const timeZone = values['time-zone'] === undefined ? undefined : check(TimeZone, values['time-zone'], () => '--time-zone');
  const p = createProvider(ctx.db, { slug, name, portalUrl, allowedOrigins: origins, theme: themeFrom(values), timeZone });
  ctx.out(`Created provider ${p.slug} (${p.name}).`);
  if (!origins.length) ctx.out('No --origin given: only pages served by this server can call its API. Add the website: provider update --origin …');
  if (!portalUrl) ctx.out('No --portal-url given: invitations and reset links need it (provider update --portal-url …).');
}

function providerUpdate(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { slug: { type: 'string' }, name: { type: 'string' }, 'portal-url': { type: 'string' }, origin: { type: 'string', multiple: true }, ...THEME_OPTIONS } });
  const p = providerOf(ctx.db, need(values, 'slug'));
  const theme = { ...p.theme, ...themeFrom(values) };
  const sets: [string, unknown][] = [['theme', JSON.stringify(theme)]];
  if (values.name !== undefined) sets.push(['name', need(values, 'name')]);
  if (values['time-zone'] !== undefined) sets.push(['time_zone', check(TimeZone, values['time-zone'], () => '--time-zone')]);
  if (values['portal-url'] !== undefined) sets.push(['portal_url', check(PortalUrl, values['portal-url'], () => '--portal-url')]);
  if (values.origin) sets.push(['allowed_origins', JSON.stringify(values.origin.map((o) => check(Origin, o, () => '--origin')))]);
  stmt(ctx.db, `UPDATE providers SET ${sets.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(([, v]) => v), p.id);
  ctx.out(`Updated provider ${p.slug}.`);
}

function providerFeatures(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { slug: { type: 'string' }, map: { type: 'string' }, alerts: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'slug'));
  const onOff = (flag: 'map' | 'alerts'): boolean | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    if (v !== 'on' && v !== 'off') throw new UsageError(`--${flag} must be on or off.`);
    return v === 'on';
  };
  const features = { ...p.features, ...Object.fromEntries(Object.entries({ map: onOff('map'), alerts: onOff('alerts') }).filter(([, v]) => v !== undefined)) };
  stmt(ctx.db, 'UPDATE providers SET features = ? WHERE id = ?').run(JSON.stringify(features), p.id);
  ctx.out(`Features of ${p.slug}: map ${features.map ? 'on' : 'off'}, alerts ${features.alerts ? 'on' : 'off'}.`);
}

function providerShow(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { slug: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'slug'));
  ctx.out(JSON.stringify({ slug: p.slug, name: p.name, portalUrl: p.portalUrl, allowedOrigins: p.allowedOrigins, theme: p.theme, features: p.features, timeZone: p.timeZone }, null, 2));
}

function keyCommand(ctx: CliContext, sub: string, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, name: { type: 'string' }, key: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if (sub === 'create') {
    const { id, key } = createApiKey(ctx.db, p.id, need(values, 'name'));
    ctx.out(`API key ${id} for ${p.slug}:\n\n  ${key}\n\nStore it now: it is not shown again (only its hash is kept).`);
  } else if (sub === 'revoke') {
    const which = need(values, 'key');
    if (!revokeApiKey(ctx.db, p.id, which)) throw new Error(`No live key "${which}" at ${p.slug}.`);
    ctx.out(`Revoked key ${which}.`);
  } else {
    const keys = listApiKeys(ctx.db, p.id);
    if (!keys.length) ctx.out('No API keys.');
    for (const k of keys) ctx.out(`${k.id}\t${k.prefix}…\t${k.name}\tcreated ${k.createdAt}\t${k.revokedAt ? `revoked ${k.revokedAt}` : k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used'}`);
  }
}

function companyAdd(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if (values.email !== undefined && !z.email().safeParse(values.email).success) throw new UsageError('--email must be an email address.');
  const id = createCompany(ctx.db, p.id, { name: need(values, 'name'), address: values.address, phone: values.phone, email: values.email });
  ctx.out(`Created company ${id} at ${p.slug}.`);
}

async function webhookCommand(ctx: CliContext, sub: string, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, id: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if (sub === 'add') {
    const body = check(WebhookEndpointCreate, { url: need(values, 'url'), ...(values.events ? { events: values.events.split(',').map((e) => e.trim()) } : {}) }, (f) => `--${f}`);
    const problem = await targetProblem(body.url, { allowPrivate: ctx.settings.webhookPrivateTargets });
    if (problem) throw new UsageError(`--url ${problem}.`);
    const { id, secret } = addWebhookEndpoint(ctx.db, p.id, body.url, body.events);
    ctx.out(`Webhook endpoint ${id}: ${body.url} (${body.events.join(', ')})\nSigning secret (shown once): ${secret}`);
  } else if (sub === 'remove') {
    const id = idOption(values, 'id', 'an endpoint (see webhook list)');
    if (!removeWebhookEndpoint(ctx.db, p.id, id)) throw new Error(`No endpoint ${id} at ${p.slug}.`);
    ctx.out(`Endpoint ${values.id} will receive nothing more.`);
  } else {
    const list = listWebhookEndpoints(ctx.db, p.id);
    if (!list.length) ctx.out('No webhook endpoints.');
    for (const e of list) ctx.out(`${e.id}\t${e.active ? 'active' : 'removed'}\t${e.url}\t${e.events.join(',')}`);
  }
}

function deliveries(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if (values.status !== undefined && !['pending', 'delivered', 'failed'].includes(values.status)) throw new UsageError('--status must be pending, delivered or failed.');
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000.');
  const list = listDeliveries(ctx.db, p.id, limit, values.status);
  if (!list.length) ctx.out('No webhook deliveries.');
  for (const d of list) ctx.out(deliveryLine(d));
}

const deliveryLine = (d: DeliveryInfo): string =>
  `${d.id}\t${d.createdAt}\t${d.type}\t${d.status}\t${d.attempts} attempt(s)\t${d.url}${d.lastError ? `\t(${d.lastError})` : ''}${d.nextAttemptAt ? `\tnext ${d.nextAttemptAt}` : ''}`;

function deliveriesRetry(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, id: { type: 'string' }, 'all-failed': { type: 'boolean' }, endpoint: { type: 'string' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if ((values.id === undefined) === !values['all-failed']) throw new UsageError('Give either --id <delivery id> or --all-failed.');
  if (values.endpoint !== undefined && !values['all-failed']) throw new UsageError('--endpoint goes with --all-failed.');
  const target =
    values.id !== undefined
      ? { id: idOption(values, 'id', 'a delivery (see deliveries)') }
      : { allFailed: true as const, ...(values.endpoint !== undefined ? { endpointId: idOption(values, 'endpoint', 'an endpoint (see webhook list)') } : {}) };
  let queued: DeliveryInfo[];
  try {
    queued = retryDeliveries(ctx.db, p.id, target);
  } catch (error) {
    // The API's "No such delivery." does not say which; here the id and provider help.
    if (error instanceof ApiError && error.status === 404) throw new Error(`No ${'id' in target ? `delivery ${target.id}` : `endpoint ${target.endpointId}`} at ${p.slug}.`);
    throw error;
  }
  if (!queued.length) ctx.out('No failed deliveries to an active endpoint.');
  else ctx.out(`Queued again (the running server sends ${queued.length === 1 ? 'it' : 'them'} within seconds):`);
  for (const d of queued) ctx.out(deliveryLine(d));
}

export const providerCommands: Record<string, (ctx: CliContext, args: string[]) => void> = {
  'provider create': providerCreate,
  'provider update': providerUpdate,
  'provider features': providerFeatures,
  'provider show': providerShow,
  'key create': (c, a) => keyCommand(c, 'create', a),
  'key list': (c, a) => keyCommand(c, 'list', a),
  'key revoke': (c, a) => keyCommand(c, 'revoke', a),
  'company add': companyAdd,
  'webhook add': (c, a) => webhookCommand(c, 'add', a),
  'webhook list': (c, a) => webhookCommand(c, 'list', a),
  'webhook remove': (c, a) => webhookCommand(c, 'remove', a),
  deliveries,
  'deliveries retry': deliveriesRetry,
};
