import { z } from 'zod';
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
  /** Unauthenticated portal requests plus 401 answers anywhere, per client address (IPv6 per /64). */
  addressLimit: { limit: number; windowMs: number };
  /** Customer API writes (POST, PATCH, PUT, DELETE with a session). */
  writeLimits: {
    perContact: { limit: number; windowMs: number };
    perProvider: { limit: number; windowMs: number };
  };
  /** Keys each in-memory rate limiter holds at most; past it the least recently used is dropped. */
  limiterCapacity: number;
  /** SMTP server URL (smtp://user:pass@host:port); without one, mail is kept in the outbox for the demo mailbox. */
  smtpUrl?: string;
  /** This server's public URL, for assets it serves that appear in email (a provider logo given as a path). */
  publicUrl?: string;
  /** How long a webhook receiver may take to answer. */
  webhookTimeoutMs: number;
  /** Webhook endpoints served at once, each with one delivery in flight. */
  webhookConcurrency: number;
  /**
   * Allow webhook URLs on private networks and loopback (10/8, 172.16/12, 192.168/16, 100.64/10,
   * 127/8, fc00::/7, ::1), for an office system on the provider's own network. Link-local (the
   * cloud metadata address), multicast, unspecified and reserved addresses stay refused.
   */
  webhookPrivateTargets: boolean;
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
  /** The live event stream (server/live/). */
  live: LiveSettings;
  /** A Nominatim-compatible geocoder (base URL, `/search` is appended); none: only coordinates the office gives. */
  geocoderUrl?: string;
  /** Sent as User-Agent to the geocoder (Nominatim's usage policy asks for one that names the application). */
  geocoderUserAgent: string;
  /** Where job files are stored (DATA_DIR/files under `npm start`); unset: a folder in the OS temp directory. */
  filesDir?: string;
  files: {
    /** Largest upload, in bytes (checked while it streams in). */
    maxFileBytes: number;
    /** Live files on one job. */
    maxFilesPerJob: number;
    /** Bytes stored for one company, all its jobs together. */
    maxCompanyBytes: number;
    /** How long a signed file URL lives (rounded up to the next full window, so URLs repeat and cache). */
    urlTtlMs: number;
    /** HMAC key of the signed file URLs; unset: one is made once and kept in the database. Never logged. */
    urlSecret?: string;
  };
  /** Where request and error lines go; never given secrets. */
  log: (line: string) => void;
  version: string;
}

export interface LiveSettings {
  /** Open streams in this process, all contacts together; more answer 503. */
  maxStreams: number;
  /** Open streams per contact; a further one replaces the contact's oldest. */
  maxStreamsPerContact: number;
  /** Bytes waiting for a slow reader before its stream is dropped (it reconnects and resumes). */
  maxQueueBytes: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** How often the log is checked for events written by other processes. */
  pollMs: number;
  /** At most this many missed events are replayed on resume; more: "reload". */
  maxReplay: number;
  /** The log keeps events this long, and at most this many. */
  retentionSeconds: number;
  maxLogRows: number;
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
    addressLimit: { limit: 600, windowMs: 10 * MINUTE },
    writeLimits: {
      perContact: { limit: 60, windowMs: MINUTE },
      perProvider: { limit: 1_200, windowMs: MINUTE },
    },
    limiterCapacity: 100_000,
    mailFrom: 'portal@localhost',
    alerts: { pollMs: 2_000, leaseSeconds: 120, batch: 100, concurrency: 8 },
    files: { maxFileBytes: 15 * 1024 * 1024, maxFilesPerJob: 50, maxCompanyBytes: 1024 * 1024 * 1024, urlTtlMs: 15 * MINUTE },
    demoMailbox: false,
    webhookTimeoutMs: 10_000,
    webhookConcurrency: 8,
    webhookPrivateTargets: false,
    responseCacheChars: 32 * 1024 * 1024,
    live: {
      maxStreams: 10_000,
      maxStreamsPerContact: 5,
      maxQueueBytes: 256 * 1024,
      heartbeatMs: 25_000,
      pollMs: 100,
      maxReplay: 500,
      retentionSeconds: 6 * 3600,
      maxLogRows: 200_000,
    },
    geocoderUserAgent: 'field-portal/0.1 (customer portal geocoding)',
    log: (line) => console.log(line),
    version: '0.1.0',
    ...overrides,
  };
}

/** A setting in the environment with a value that cannot be used: start-up stops and says which. */
export class EnvError extends Error {}

const port = z.coerce.number().int().min(0).max(65535);
const onOff = z.enum(['on', 'off', '1', '0', 'true', 'false']).transform((v) => v === 'on' || v === '1' || v === 'true');
/** Every variable the server, the demo start-up and the admin CLI read (README lists them). */
const Env = z.object({
  PORT: port.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO_PORT: z.union([z.literal('off'), port]).optional(),
  DEMO_DATA: onOff.default(true),
  OFFICE_SIMULATOR: onOff.default(true),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.email().optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TRUST_PROXY: onOff.default(false),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).max(4096).optional(),
  LIVE_MAX_STREAMS: z.coerce.number().int().min(0).optional(),
  LIVE_MAX_STREAMS_PER_CONTACT: z.coerce.number().int().min(1).optional(),
  GEOCODER_URL: z.url({ protocol: /^https?$/ }).optional(),
  GEOCODER_USER_AGENT: z.string().min(1).max(200).optional(),
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  SMS_GATEWAY_MODE: z.enum(['json', 'twilio']).default('json'),
  SMS_FROM: z.string().min(1).max(40).optional(),
  SMS_ACCOUNT_SID: z.string().min(1).max(100).optional(),
  SMS_INBOUND_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  FILE_MAX_MB: z.coerce.number().int().min(1).max(1024).optional(),
  COMPANY_FILES_MB: z.coerce.number().int().min(1).optional(),
  FILES_PER_JOB: z.coerce.number().int().min(1).max(10_000).optional(),
  FILE_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ALERT_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).optional(),
  ALERT_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  WEBHOOK_PRIVATE_TARGETS: onOff.default(false),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  LIMITER_CAPACITY: z.coerce.number().int().min(100).max(10_000_000).optional(),
  ADDRESS_LIMIT: z.coerce.number().int().min(1).optional(),
  WRITE_LIMIT_CONTACT: z.coerce.number().int().min(1).optional(),
  WRITE_LIMIT_PROVIDER: z.coerce.number().int().min(1).optional(),
});
export type Environment = z.output<typeof Env>;

/**
 * Reads the environment once, with a schema: an empty variable counts as unset; a bad value
 * throws EnvError naming the variable and what it takes (it used to be ignored silently).
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Environment {
  const given = Object.fromEntries(Object.keys(Env.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const parsed = Env.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(given[String(i.path[0])])}: ${i.message}`);
    throw new EnvError(`Bad setting in the environment:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** The app settings the environment sets. */
export function settingsFromEnv(env: Environment): Partial<Settings> {
  const s: Partial<Settings> = { trustProxy: env.TRUST_PROXY, webhookPrivateTargets: env.WEBHOOK_PRIVATE_TARGETS };
  const d = defaultSettings();
  if (env.WEBHOOK_CONCURRENCY !== undefined) s.webhookConcurrency = env.WEBHOOK_CONCURRENCY;
  if (env.LIMITER_CAPACITY !== undefined) s.limiterCapacity = env.LIMITER_CAPACITY;
  if (env.ADDRESS_LIMIT !== undefined) s.addressLimit = { ...d.addressLimit, limit: env.ADDRESS_LIMIT };
  if (env.WRITE_LIMIT_CONTACT !== undefined || env.WRITE_LIMIT_PROVIDER !== undefined) {
    s.writeLimits = {
      perContact: { ...d.writeLimits.perContact, limit: env.WRITE_LIMIT_CONTACT ?? d.writeLimits.perContact.limit },
      perProvider: { ...d.writeLimits.perProvider, limit: env.WRITE_LIMIT_PROVIDER ?? d.writeLimits.perProvider.limit },
    };
  }
  if (env.SMTP_URL) s.smtpUrl = env.SMTP_URL;
  if (env.MAIL_FROM) s.mailFrom = env.MAIL_FROM;
  if (env.PUBLIC_URL) s.publicUrl = env.PUBLIC_URL;
  if (env.RESPONSE_CACHE_MB !== undefined) s.responseCacheChars = env.RESPONSE_CACHE_MB * 1024 * 1024;
  if (env.LIVE_MAX_STREAMS !== undefined || env.LIVE_MAX_STREAMS_PER_CONTACT !== undefined) {
    s.live = { ...d.live, maxStreams: env.LIVE_MAX_STREAMS ?? d.live.maxStreams, maxStreamsPerContact: env.LIVE_MAX_STREAMS_PER_CONTACT ?? d.live.maxStreamsPerContact };
  }
  if (env.SMS_GATEWAY_URL && env.SMS_GATEWAY_TOKEN) {
    s.smsGateway = {
      url: env.SMS_GATEWAY_URL,
      token: env.SMS_GATEWAY_TOKEN,
      mode: env.SMS_GATEWAY_MODE,
      from: env.SMS_FROM ?? '',
      ...(env.SMS_ACCOUNT_SID ? { accountSid: env.SMS_ACCOUNT_SID } : {}),
    };
  }
  if (env.SMS_INBOUND_SECRET) s.smsInboundSecret = env.SMS_INBOUND_SECRET;
  if (env.ALERT_POLL_MS !== undefined || env.ALERT_LEASE_SECONDS !== undefined) {
    s.alerts = { ...d.alerts, pollMs: env.ALERT_POLL_MS ?? d.alerts.pollMs, leaseSeconds: env.ALERT_LEASE_SECONDS ?? d.alerts.leaseSeconds };
  }
  if (env.GEOCODER_URL) s.geocoderUrl = env.GEOCODER_URL;
  if (env.GEOCODER_USER_AGENT) s.geocoderUserAgent = env.GEOCODER_USER_AGENT;
  const files = { ...d.files };
  if (env.FILE_MAX_MB !== undefined) files.maxFileBytes = env.FILE_MAX_MB * 1024 * 1024;
  if (env.COMPANY_FILES_MB !== undefined) files.maxCompanyBytes = env.COMPANY_FILES_MB * 1024 * 1024;
  if (env.FILES_PER_JOB !== undefined) files.maxFilesPerJob = env.FILES_PER_JOB;
  if (env.FILE_URL_SECRET) files.urlSecret = env.FILE_URL_SECRET;
  s.files = files;
  return s;
}
