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

/**
 * Mail goes through the `mail_outbox` table. With an SMTP URL, a worker delivers it with
 * retries and exponential backoff; without one, mail is kept in the table (status `kept`)
 * for the demo mailbox, so `npm start` needs no mail server.
 */
export class Mailer {
  readonly local: boolean;
  private readonly transport: Transporter | null;
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: { smtpUrl?: string; from: string; log: (line: string) => void },
  ) {
    this.local = !options.smtpUrl;
    this.transport = options.smtpUrl
      ? nodemailer.createTransport(options.smtpUrl, { connectionTimeout: 10_000, socketTimeout: 20_000 } as never)
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
    // Deliver soon, off the request path: the caller's answer must not wait for (or reveal) SMTP.
    setImmediate(() => void this.flush());
    return id;
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
      const due = stmt<[number], OutboxRow>(
        this.db,
        `SELECT id, recipient, from_name, subject, text_body, html_body, attempts FROM mail_outbox
          WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 50`,
      ).all(nowSeconds());
      for (const row of due) {
        if (!this.transport) {
          stmt(this.db, "UPDATE mail_outbox SET status = 'kept', sent_at = ? WHERE id = ?").run(nowSeconds(), row.id);
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
          delivered++;
        } catch (error) {
          const attempts = row.attempts + 1;
          const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
          stmt(
            this.db,
            'UPDATE mail_outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
          ).run(attempts, attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', nowSeconds() + backoffSeconds(attempts), message, row.id);
          this.options.log(`mail ${row.id} attempt ${attempts} failed: ${message}`);
        }
      }
    } catch (error) {
      this.options.log(`mail outbox: ${error instanceof Error ? error.message : String(error)}`);
    }
    return delivered;
  }
}
