/** Admin commands for the alerts outbox: what was sent, what waits, and the dead letters. */
import { parseArgs } from 'node:util';
import { idOption, need, providerOf, UsageError, type CliContext } from '../cli-provider.js';
import { ApiError } from '../http/errors.js';
import { listAlertOutbox, retryAlertOutbox } from './provider-data.js';
import { OUTBOX_STATUSES, type OutboxItemView } from './schemas.js';

export const ALERTS_USAGE = `  alerts [--provider <slug>] [--status ${OUTBOX_STATUSES.join('|')}] [--limit <n>]
      The alerts outbox, newest first: sent, kept (no SMTP/gateway), waiting (reminders too),
      failed (dead letters, after retries or a refusal) and dropped (access or address gone).
  alerts retry --provider <slug> (--id <alert id> | --all-failed)
      Send dead letters again with a fresh set of attempts; sent alerts are never sent again.`;

const line = (a: OutboxItemView): string =>
  `${a.id}\t${a.createdAt}\t${a.kind}\t${a.event}\t${a.channel}\t${a.status}\t${a.attempts} attempt(s)\tcontact ${a.contactId}` +
  `${a.jobId ? `\tjob ${a.jobId}` : ''}${a.quoteId ? `\tquote ${a.quoteId}` : ''}${a.status === 'pending' ? `\tdue ${a.dueAt}` : ''}${a.lastError ? `\t(${a.lastError})` : ''}`;

function alerts(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } } });
  const providerId = values.provider === undefined ? null : providerOf(ctx.db, need(values, 'provider')).id;
  if (values.status !== undefined && !(OUTBOX_STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${OUTBOX_STATUSES.join(', ')}.`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000.');
  const list = listAlertOutbox(ctx.db, providerId, values.status, limit);
  if (!list.length) ctx.out('The alerts outbox is empty.');
  for (const a of list) ctx.out(line(a));
}

function alertsRetry(ctx: CliContext, args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { provider: { type: 'string' }, id: { type: 'string' }, 'all-failed': { type: 'boolean' } } });
  const p = providerOf(ctx.db, need(values, 'provider'));
  if ((values.id === undefined) === !values['all-failed']) throw new UsageError('Give either --id <alert id> or --all-failed.');
  const target = values.id !== undefined ? { id: idOption(values, 'id', 'an alert (see alerts)') } : { allFailed: true as const };
  let queued: OutboxItemView[];
  try {
    queued = retryAlertOutbox(ctx.db, p.id, target);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && 'id' in target) throw new Error(`No alert ${target.id} at ${p.slug}.`);
    throw error;
  }
  if (!queued.length) ctx.out('No failed alerts.');
  else ctx.out(`Queued again (the running server sends ${queued.length === 1 ? 'it' : 'them'} within seconds):`);
  for (const a of queued) ctx.out(line(a));
}

export const alertCommands: Record<string, (ctx: CliContext, args: string[]) => void> = { alerts, 'alerts retry': alertsRetry };
