import type { SmsGatewaySettings } from './sms/sender.js';

export interface Settings {
  /** Sliding session lifetime: each use past half of it extends it again. */
  sessionTtlMs: number;
  /** Largest request body accepted on the API. */
  bodyLimitBytes: number;
  /** Use X-Forwarded-For for the client address (only behind a proxy you run). */
  trustProxy: boolean;
  loginLimits: {
    /** Failed logins per provider + email. */
    perAccount: { limit: number; windowMs: number };
    /** Login attempts per client address. */
    perIp: { limit: number; windowMs: number };
  };
  /** Invitation links live this long. */
  inviteTtlMs: number;
  /** Password-reset links live this long. */
  resetTtlMs: number;
  resetLimits: {
    /** Reset requests per provider + email address. */
    perAddress: { limit: number; windowMs: number };
    /** Reset requests per client address. */
    perIp: { limit: number; windowMs: number };
    /** Set-password attempts per link (weak passwords and races included). */
    perLink: { limit: number; windowMs: number };
  };
  /** SMTP server URL (smtp://user:pass@host:port); without one, mail is kept in the outbox for the demo mailbox. */
  smtpUrl?: string;
  /** This server's public URL, for assets it serves that appear in email (a provider logo given as a path). */
  publicUrl?: string;
  /** How long a webhook receiver may take to answer. */
  webhookTimeoutMs: number;
  /** Serve the demo mailbox (/api/dev/mailbox) while mail is kept locally. Only `npm start`'s demo sets it. */
  demoMailbox: boolean;
  /**
   * Characters (about bytes) of finished portal answers kept in memory for repeat reads
   * (server/http/response-cache.ts); 0 turns the cache off.
   */
  responseCacheChars: number;
  /** SMS gateway for alerts; without one, SMS are kept locally and shown in the demo mailbox. */
  smsGateway?: SmsGatewaySettings;
  /** Key the SMS gateway signs inbound messages (STOP) with; without one, the inbound webhook is off. */
  smsInboundSecret?: string;
  /**
   * The alerts worker: how often it polls the outbox, how long a claim on a row holds (a process
   * that dies mid-send releases its rows after this), rows per claim, sends in flight, and the
   * clock (unix seconds) it decides due times by; tests inject one.
   */
  alerts: { pollMs: number; leaseSeconds: number; batch: number; concurrency: number; clock?: () => number };
  /** Sender address; the display name is the provider's. */
  mailFrom: string;
  /** Where request and error lines go; never given secrets. */
  log: (line: string) => void;
  version: string;
}

const MINUTE = 60_000;

export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    sessionTtlMs: 7 * 24 * 60 * MINUTE,
    bodyLimitBytes: 64 * 1024,
    trustProxy: false,
    loginLimits: {
      perAccount: { limit: 10, windowMs: 15 * MINUTE },
      perIp: { limit: 100, windowMs: 15 * MINUTE },
    },
    inviteTtlMs: 7 * 24 * 60 * MINUTE,
    resetTtlMs: 30 * MINUTE,
    resetLimits: {
      perAddress: { limit: 3, windowMs: 60 * MINUTE },
      perIp: { limit: 20, windowMs: 60 * MINUTE },
      perLink: { limit: 10, windowMs: 60 * MINUTE },
    },
    mailFrom: 'portal@localhost',
    alerts: { pollMs: 2_000, leaseSeconds: 120, batch: 100, concurrency: 8 },
    demoMailbox: false,
    webhookTimeoutMs: 10_000,
    responseCacheChars: 32 * 1024 * 1024,
    log: (line) => console.log(line),
    version: '0.1.0',
    ...overrides,
  };
}

/** The settings a deployment sets through the environment (README lists them). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Settings> {
  const s: Partial<Settings> = { trustProxy: env.TRUST_PROXY === '1' };
  if (env.SMTP_URL) s.smtpUrl = env.SMTP_URL;
  if (env.MAIL_FROM) s.mailFrom = env.MAIL_FROM;
  if (env.PUBLIC_URL) s.publicUrl = env.PUBLIC_URL;
  if (env.SMS_GATEWAY_URL && env.SMS_GATEWAY_TOKEN) {
    s.smsGateway = {
      url: env.SMS_GATEWAY_URL,
      token: env.SMS_GATEWAY_TOKEN,
      mode: env.SMS_GATEWAY_MODE === 'twilio' ? 'twilio' : 'json',
      from: env.SMS_FROM ?? '',
      ...(env.SMS_ACCOUNT_SID ? { accountSid: env.SMS_ACCOUNT_SID } : {}),
    };
  }
  if (env.SMS_INBOUND_SECRET) s.smsInboundSecret = env.SMS_INBOUND_SECRET;
  const poll = Number(env.ALERT_POLL_MS);
  const lease = Number(env.ALERT_LEASE_SECONDS);
  if (env.ALERT_POLL_MS || env.ALERT_LEASE_SECONDS) {
    const d = defaultSettings().alerts;
    s.alerts = { ...d, ...(Number.isInteger(poll) && poll > 0 ? { pollMs: poll } : {}), ...(Number.isInteger(lease) && lease > 0 ? { leaseSeconds: lease } : {}) };
  }
  if (env.RESPONSE_CACHE_MB !== undefined && /^\d+$/.test(env.RESPONSE_CACHE_MB)) {
    s.responseCacheChars = Number(env.RESPONSE_CACHE_MB) * 1024 * 1024;
  }
  return s;
}
