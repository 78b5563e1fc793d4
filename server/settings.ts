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
    files: { maxFileBytes: 15 * 1024 * 1024, maxFilesPerJob: 50, maxCompanyBytes: 1024 * 1024 * 1024, urlTtlMs: 15 * MINUTE },
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
  if (env.RESPONSE_CACHE_MB !== undefined && /^\d+$/.test(env.RESPONSE_CACHE_MB)) {
    s.responseCacheChars = Number(env.RESPONSE_CACHE_MB) * 1024 * 1024;
  }
  const mb = (name: string): number | undefined => (env[name] !== undefined && /^\d+$/.test(env[name]!) ? Number(env[name]) * 1024 * 1024 : undefined);
  const files = defaultSettings().files;
  files.maxFileBytes = mb('FILE_MAX_MB') ?? files.maxFileBytes;
  files.maxCompanyBytes = mb('COMPANY_FILES_MB') ?? files.maxCompanyBytes;
  if (env.FILES_PER_JOB !== undefined && /^\d+$/.test(env.FILES_PER_JOB)) files.maxFilesPerJob = Number(env.FILES_PER_JOB);
  if (env.FILE_URL_SECRET) files.urlSecret = env.FILE_URL_SECRET;
  s.files = files;
  return s;
}
