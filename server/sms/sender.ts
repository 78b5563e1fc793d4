/**
 * SMS out. `HttpSmsSender` posts to a gateway: a generic JSON POST with a bearer token, or a
 * Twilio-compatible form POST with basic auth. Without a gateway nothing leaves the machine:
 * the alerts outbox keeps the text (status `kept`) for the demo mailbox.
 *
 * The gateway's credentials never reach a log line or an error message.
 */
export interface SmsMessage {
  to: string;
  text: string;
  /** Stable per message: a gateway that dedupes (Idempotency-Key) drops a resend after a crash. */
  reference: string;
}

export interface SmsSender {
  /** True when messages are only kept locally. */
  readonly local: boolean;
  send(message: SmsMessage): Promise<void>;
}

export interface SmsGatewaySettings {
  url: string;
  token: string;
  /** `json`: `{to, from, text, reference}` with `Authorization: Bearer`. `twilio`: form `To`, `From`, `Body` with basic auth `accountSid:token`. */
  mode: 'json' | 'twilio';
  from: string;
  accountSid?: string;
  timeoutMs?: number;
}

/** A failure that a retry cannot fix (the gateway refused the message itself). */
export class PermanentSendError extends Error {}

export class LocalSmsSender implements SmsSender {
  readonly local = true;
  async send(): Promise<void> {}
}

export class HttpSmsSender implements SmsSender {
  readonly local = false;
  constructor(private readonly g: SmsGatewaySettings) {}

  async send(m: SmsMessage): Promise<void> {
    const twilio = this.g.mode === 'twilio';
    const headers: Record<string, string> = { 'Idempotency-Key': m.reference, 'User-Agent': 'customer-portal-alerts/1' };
    let body: string;
    if (twilio) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers.Authorization = `Basic ${Buffer.from(`${this.g.accountSid ?? ''}:${this.g.token}`).toString('base64')}`;
      body = new URLSearchParams({ To: m.to, From: this.g.from, Body: m.text }).toString();
    } else {
      headers['Content-Type'] = 'application/json';
      headers.Authorization = `Bearer ${this.g.token}`;
      body = JSON.stringify({ to: m.to, from: this.g.from, text: m.text, reference: m.reference });
    }
    let response: Response;
    try {
      response = await fetch(this.g.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.g.timeoutMs ?? 10_000) });
    } catch (error) {
      throw new Error(error instanceof Error && error.name === 'TimeoutError' ? 'SMS gateway timed out' : 'SMS gateway unreachable');
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    // 4xx other than 408/429: this message will never be taken; 5xx, 408, 429: try again later.
    const message = `SMS gateway answered HTTP ${response.status}`;
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new PermanentSendError(message);
    throw new Error(message);
  }
}

export function smsSender(gateway: SmsGatewaySettings | undefined): SmsSender {
  return gateway ? new HttpSmsSender(gateway) : new LocalSmsSender();
}
