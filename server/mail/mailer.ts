import nodemailer, { type Transporter } from 'nodemailer';
import { type Db, stmt, nowSeconds } from '../db/index.js';

export interface OutgoingMail {
  providerId: number;
  to: string;
  fromName: string;
  subject: string;
  text: string;
  html: string;
  kind: string;
}

interface OutboxRow {
  id: number;
  recipient: string;
  from_name: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
}

const MAX_ATTEMPTS = 8;
const backoffSeconds = (attempt: number): number => Math.min(3600, 15 * 2 ** (attempt - 1));

export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  log: (line: string) => void;
  /**
   * Deliver only the mail this instance enqueued, and only when flush() is called: for the admin
   * CLI, which shares the outbox with a running server and must never take over its mail.
   */
  onlyOwn?: boolean;
  /** Keep this many SMTP connections open between messages, for a sender of many (the alerts). */
  pool?: number;
}

/**
 * Mail goes through the `mail_outbox` table. With an SMTP URL, a worker delivers it with
 * retries and exponential backoff; without one, the mail this process wrote is kept in the
 * table (status `kept`) for the demo mailbox, so `npm start` needs no mail server. A process
 * without SMTP never marks mail of another process kept: that mail may be waiting for a retry
 * by a server that has SMTP (issue 15: the CLI marked it all kept, and it was never sent).
 */
export class Mailer {
  readonly local: boolean;
  private readonly transport: Transporter | null;
  /** Ids this instance enqueued and has not finished with. */
  private readonly own = new Set<number>();
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: MailerOptions,
  ) {
    this.local = !options.smtpUrl;
    this.transport = options.smtpUrl
      ? // One options object: a URL with a second argument makes that argument message defaults, not transport options.
        nodemailer.createTransport({
          url: options.smtpUrl,
          connectionTimeout: 10_000,
          socketTimeout: 20_000,
          ...(options.pool ? { pool: true, maxConnections: options.pool, maxMessages: 1000 } : {}),
        } as never)
      : null;
  }

  private stopped = false;

  enqueue(mail: OutgoingMail): number {
    const id = Number(
      stmt(
        this.db,
        `INSERT INTO mail_outbox (provider_id, recipient, from_name, subject, text_body, html_body, kind, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(mail.providerId, mail.to, mail.fromName, mail.subject, mail.text, mail.html, mail.kind, nowSeconds(), nowSeconds())
        .lastInsertRowid,
    );
    if (this.options.onlyOwn || !this.transport) this.own.add(id);
    // Deliver soon, off the request path: the caller's answer must not wait for (or reveal) SMTP.
    if (!this.options.onlyOwn) setImmediate(() => void this.flush());
    return id;
  }

  /**
   * Sends one message at once, outside the mail outbox: for callers that keep their own outbox
   * with claims and retries (the alerts). Throws when SMTP refuses it. Without SMTP the message
   * goes to the mail outbox and is kept there for the demo mailbox, like every other mail.
   */
  async send(mail: OutgoingMail & { headers?: Record<string, string>; messageId?: string }): Promise<'sent' | 'kept'> {
    if (!this.transport) {
      this.enqueue(mail);
      return 'kept';
    }
    await this.transport.sendMail({
      from: { name: mail.fromName, address: this.options.from },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
    });
    return 'sent';
  }

  /** Delivers everything due now; resolves with how many were delivered. Never throws. */
  flush(): Promise<number> {
    // After stop() the database may be closed (the admin CLI closes it at once): a delivery
    // scheduled by enqueue() that fires later must not touch it.
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.deliverDue().finally(() => (this.running = null));
    return this.running;
  }

  /** Polls the outbox (retries, and mail queued by other processes such as the admin CLI). */
  start(intervalMs = 5_000): void {
    this.stopped = false;
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.transport?.close();
  }

  private async deliverDue(): Promise<number> {
    let delivered = 0;
    try {
      // Without SMTP only our own mail is kept, and the CLI leaves even that for the server.
      const onlyOwn = this.options.onlyOwn || !this.transport;
      if (onlyOwn && !this.own.size) return 0;
      if (!this.transport && this.options.onlyOwn) return 0;
      const due = stmt<[number, number, string], OutboxRow>(
        this.db,
        `SELECT id, recipient, from_name, subject, text_body, html_body, attempts FROM mail_outbox
          WHERE status = 'pending' AND next_attempt_at <= ? AND (? = 0 OR id IN (SELECT value FROM json_each(?))) ORDER BY id LIMIT 50`,
      ).all(nowSeconds(), onlyOwn ? 1 : 0, JSON.stringify([...this.own]));
      for (const row of due) {
        if (!this.transport) {
          stmt(this.db, "UPDATE mail_outbox SET status = 'kept', sent_at = ? WHERE id = ?").run(nowSeconds(), row.id);
          this.own.delete(row.id);
          delivered++;
          continue;
        }
        try {
          await this.transport.sendMail({
            from: { name: row.from_name, address: this.options.from },
            to: row.recipient,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
          });
          stmt(
            this.db,
            "UPDATE mail_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, text_body = '', html_body = '' WHERE id = ?",
          ).run(nowSeconds(), row.id);
          this.own.delete(row.id);
          delivered++;
        } catch (error) {
          const attempts = row.attempts + 1;
          const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
          stmt(
            this.db,
            'UPDATE mail_outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
          ).run(attempts, attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', nowSeconds() + backoffSeconds(attempts), message, row.id);
          // Retries are the running server's job (it polls the outbox); this instance lets go.
          if (attempts >= MAX_ATTEMPTS || this.options.onlyOwn) this.own.delete(row.id);
          this.options.log(`mail ${row.id} attempt ${attempts} failed: ${message}`);
        }
      }
    } catch (error) {
      this.options.log(`mail outbox: ${error instanceof Error ? error.message : String(error)}`);
    }
    return delivered;
  }
}
