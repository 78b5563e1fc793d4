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
  /** Sender address; the display name is the provider's. */
  mailFrom: string;
  /** The live event stream (server/live/). */
  live: LiveSettings;
  /** A Nominatim-compatible geocoder (base URL, `/search` is appended); none: only coordinates the office gives. */
  geocoderUrl?: string;
  /** Sent as User-Agent to the geocoder (Nominatim's usage policy asks for one that names the application). */
  geocoderUserAgent: string;
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
    mailFrom: 'portal@localhost',
    demoMailbox: false,
    webhookTimeoutMs: 10_000,
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

/** The settings a deployment sets through the environment (README lists them). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Settings> {
  const s: Partial<Settings> = { trustProxy: env.TRUST_PROXY === '1' };
  if (env.SMTP_URL) s.smtpUrl = env.SMTP_URL;
  if (env.MAIL_FROM) s.mailFrom = env.MAIL_FROM;
  if (env.PUBLIC_URL) s.publicUrl = env.PUBLIC_URL;
  const live = { ...defaultSettings().live };
  if (env.LIVE_MAX_STREAMS && /^\d+$/.test(env.LIVE_MAX_STREAMS)) live.maxStreams = Number(env.LIVE_MAX_STREAMS);
  if (env.LIVE_MAX_STREAMS_PER_CONTACT && /^[1-9]\d*$/.test(env.LIVE_MAX_STREAMS_PER_CONTACT)) live.maxStreamsPerContact = Number(env.LIVE_MAX_STREAMS_PER_CONTACT);
  if (env.LIVE_MAX_STREAMS || env.LIVE_MAX_STREAMS_PER_CONTACT) s.live = live;
  if (env.GEOCODER_URL) s.geocoderUrl = env.GEOCODER_URL;
  if (env.GEOCODER_USER_AGENT) s.geocoderUserAgent = env.GEOCODER_USER_AGENT;
  if (env.RESPONSE_CACHE_MB !== undefined && /^\d+$/.test(env.RESPONSE_CACHE_MB)) {
    s.responseCacheChars = Number(env.RESPONSE_CACHE_MB) * 1024 * 1024;
  }
  return s;
}
