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
    log: (line) => console.log(line),
    version: '0.1.0',
    ...overrides,
  };
}
