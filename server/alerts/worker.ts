/**
 * Drains the alerts outbox: claims due rows, checks each may still be sent, renders it in the
 * provider's branding and sends it by email (the mailer) or SMS (the gateway), with retries,
 * backoff and a dead-letter state. Reminders are rows whose due time lies ahead, so this same
 * loop is the durable scheduler: nothing lives in memory that a restart could lose.
 *
 * Delivery guarantee: a row is sent by whoever holds its claim, renewed right before the send,
 * and closed in the same process right after it; a process that dies first loses its claim after
 * `leaseSeconds` and another attempt sends it (at least once). A claim that ran out while its row
 * waited in a batch is not sent by its old holder. Only the crash window between the receiver's
 * acceptance and our commit can repeat a message; every email carries a Message-ID and every
 * SMS an Idempotency-Key derived from the row, so a receiver can drop that repeat (at most once).
 */
import { createHash, randomBytes } from 'node:crypto';
import { getProviderById, type Provider } from '../providers/data.js';
import type { Db } from '../db/index.js';
import { Mailer } from '../mail/mailer.js';
import { PermanentSendError, type SmsSender } from '../sms/sender.js';
import { backoffSeconds } from '../webhooks/deliverer.js';
import { confirmUrl, portalPage, signedToken, unsubscribeUrl, viewLink } from './links.js';
import { claimDue, renewClaim, markDeferred, markDelivered, markDropped, markFailed, sendContext, type ClaimedRow, type SendContext } from './outbox.js';
import { alertSettings, signingSecret } from './provider-data.js';
import { quietUntil } from './quiet.js';
import { renderAlert, renderVerification, type AlertFacts, type Rendered } from './render.js';
import type { AlertSettingsValue } from './schemas.js';
import type { Settings } from '../settings.js';

export const MAX_ATTEMPTS = 8;

export class AlertWorker {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Its own mailer, with pooled SMTP connections: alerts come in bursts (a thousand at a time). */
  private readonly mailer: Mailer;

  constructor(
    private readonly db: Db,
    private readonly deps: { sms: SmsSender; settings: Settings },
  ) {
    const s = deps.settings;
    this.mailer = new Mailer(db, { smtpUrl: s.smtpUrl, from: s.mailFrom, log: s.log, pool: s.alerts.concurrency });
  }

  private now(): number {
    return this.deps.settings.alerts.clock?.() ?? Math.floor(Date.now() / 1000);
  }

  /** Sends everything due now; resolves with how many were sent or kept. Never throws. */
  flush(): Promise<number> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs = this.deps.settings.alerts.pollMs): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.mailer.stop();
  }

  private async drain(): Promise<number> {
    const { batch, leaseSeconds, concurrency } = this.deps.settings.alerts;
    let delivered = 0;
    try {
      // Batch after batch while full, so a backlog drains in one flush.
      for (let round = 0; round < 100; round++) {
        const rows = claimDue(this.db, randomBytes(12).toString('base64url'), this.now(), leaseSeconds, batch);
        // A batch is mostly one provider's: read its settings and key once per batch, not per message.
        const prefs = new Map<number, { settings: AlertSettingsValue; secret: string }>();
        const prefsOf = (providerId: number) => {
          let p = prefs.get(providerId);
          if (!p) prefs.set(providerId, (p = { settings: alertSettings(this.db, providerId), secret: signingSecret(this.db, providerId) }));
          return p;
        };
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < rows.length) if (await this.deliver(rows[next++]!, prefsOf)) delivered++;
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
        if (rows.length < batch) break;
      }
    } catch (error) {
      this.deps.settings.log(`alerts: ${error instanceof Error ? error.message : String(error)}`);
    }
    return delivered;
  }

  private async deliver(row: ClaimedRow, prefsOf: (providerId: number) => { settings: AlertSettingsValue; secret: string }): Promise<boolean> {
    if (!renewClaim(this.db, row, this.now(), this.deps.settings.alerts.leaseSeconds)) return false;
    const ctx = sendContext(this.db, row);
    const provider = getProviderById(this.db, row.provider_id);
    if (!ctx || !provider) {
      markDropped(this.db, row, 'no longer allowed: access, alert or address changed');
      return false;
    }
    const { settings: prefs, secret } = prefsOf(row.provider_id);
    const now = this.now();
    if (row.channel === 'sms' && row.kind !== 'verify') {
      const until = quietUntil(prefs.quietHours, prefs.timeZone, now);
      if (until !== null) {
        markDeferred(this.db, row, until);
        return false;
      }
    }
    const { publicUrl } = this.deps.settings;
    const unsubscribe = row.channel === 'email' && row.kind !== 'verify'
      ? unsubscribeUrl(publicUrl, provider, signedToken(secret, 'unsubscribe', provider.id, row.destination_id))
      : null;
    const rendered = row.kind === 'verify'
      ? renderVerification(provider, publicUrl, row.channel, row.channel === 'email' ? (confirmUrl(publicUrl, provider, row.body ?? '') ?? '') : (row.body ?? ''))
      : renderAlert(provider, publicUrl, row.channel, facts(row, ctx, provider, prefs.timeZone), unsubscribe);
    const reference = `alert-${row.id}-${createHash('sha256').update(row.dedupe_key).digest('hex').slice(0, 16)}`;
    try {
      const status = row.channel === 'email' ? await this.email(provider, ctx.address, rendered, unsubscribe, reference) : await this.sms(ctx.address, rendered, reference);
      markDelivered(this.db, row, status, ctx.address, rendered.subject, status === 'kept' && row.channel === 'sms' ? rendered.text : null, this.now());
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { responseCode?: number }).responseCode;
      const permanent = error instanceof PermanentSendError || (typeof code === 'number' && code >= 500);
      const final = permanent || row.attempts >= MAX_ATTEMPTS;
      markFailed(this.db, row, message, final, this.now() + backoffSeconds(row.attempts));
      this.deps.settings.log(`alert ${row.id} (${row.channel}) attempt ${row.attempts} failed${final ? ', giving up' : ''}: ${message.slice(0, 200)}`);
      return false;
    }
  }

  private email(provider: Provider, to: string, r: Rendered, unsubscribe: string | null, reference: string): Promise<'sent' | 'kept'> {
    const host = (() => {
      try {
        return new URL(this.deps.settings.publicUrl ?? '').hostname || 'portal.invalid';
      } catch {
        return 'portal.invalid';
      }
    })();
    return this.mailer.send({
      providerId: provider.id,
      to,
      fromName: provider.name,
      subject: r.subject,
      text: r.text,
      html: r.html ?? '',
      kind: 'alert',
      messageId: `<${reference}@${host}>`,
      // RFC 8058: a mail client may unsubscribe with one POST, no login, no page to fill in.
      ...(unsubscribe ? { headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
    });
  }

  private async sms(to: string, r: Rendered, reference: string): Promise<'sent' | 'kept'> {
    if (this.deps.sms.local) return 'kept';
    await this.deps.sms.send({ to, text: r.text, reference });
    return 'sent';
  }
}

function facts(row: ClaimedRow, ctx: SendContext, provider: Provider, timeZone: string): AlertFacts {
  const data = JSON.parse(row.data) as { eta?: number | null; hours?: number; totalCents?: number | null; currency?: string; validUntil?: number | null };
  const link = row.job_id !== null ? viewLink(provider, 'jobs', row.job_id) : row.quote_id !== null ? viewLink(provider, 'quotes', row.quote_id) : portalPage(provider);
  return {
    event: row.kind === 'test' ? 'test' : row.event,
    kind: row.kind,
    contactName: ctx.contact_name,
    timeZone,
    job: ctx.job_number !== null
      ? { number: ctx.job_number, title: ctx.job_title ?? '', address: ctx.job_address ?? '', start: ctx.job_start, technician: ctx.job_technician, eta: data.eta ?? null, reminderHours: data.hours ?? null }
      : undefined,
    quote: ctx.quote_number !== null
      ? { number: ctx.quote_number, title: ctx.quote_title ?? '', totalCents: data.totalCents ?? null, currency: data.currency ?? 'USD', validUntil: data.validUntil ?? null }
      : undefined,
    link,
    followLink: row.event === 'on_the_way' && provider.features.map && ctx.perm_map === 1 ? link : null,
  };
}
