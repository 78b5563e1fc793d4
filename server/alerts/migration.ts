/**
 * Migration 10 (job alerts), kept beside the code that uses it; server/db/migrations.ts lists it.
 * Forward-only like the others: never edit once shipped.
 */
export const ALERTS_MIGRATION = `
  -- What a provider offers its customers. No row: the defaults in server/alerts/settings.ts.
  -- signing_secret keys the HMAC of unsubscribe links, so it must be readable (not hashed).
  CREATE TABLE alert_provider_settings (
    provider_id INTEGER PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    events TEXT NOT NULL CHECK (json_valid(events)),
    channels TEXT NOT NULL CHECK (json_valid(channels)),
    reminder_min_hours INTEGER NOT NULL CHECK (reminder_min_hours BETWEEN 1 AND 168),
    reminder_max_hours INTEGER NOT NULL CHECK (reminder_max_hours BETWEEN reminder_min_hours AND 168),
    time_zone TEXT NOT NULL,
    quiet_start TEXT CHECK (quiet_start IS NULL OR quiet_start GLOB '[0-2][0-9]:[0-5][0-9]'),
    quiet_end TEXT CHECK (quiet_end IS NULL OR quiet_end GLOB '[0-2][0-9]:[0-5][0-9]'),
    signing_secret TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  -- Where a contact's alerts may go: email addresses (their login address counts as confirmed)
  -- and phone numbers in E.164. Only the SHA-256 of a pending confirmation token or code is kept.
  CREATE TABLE alert_destinations (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address TEXT NOT NULL,
    is_login INTEGER NOT NULL DEFAULT 0 CHECK (is_login IN (0, 1)),
    verified_at INTEGER,
    secret_hash TEXT,
    secret_expires_at INTEGER,
    failed_checks INTEGER NOT NULL DEFAULT 0,
    sends_in_window INTEGER NOT NULL DEFAULT 0,
    window_started_at INTEGER,
    last_sent_at INTEGER,
    -- Set by the one-click unsubscribe (email) or STOP from the phone (sms).
    opted_out_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (contact_id, channel, address),
    FOREIGN KEY (provider_id, company_id, contact_id) REFERENCES contacts (provider_id, company_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX alert_destinations_by_contact ON alert_destinations (provider_id, contact_id, id);
  CREATE INDEX alert_destinations_by_address ON alert_destinations (channel, address);

  -- One alert set up by a contact: which events, for all their jobs (job_id NULL) or one.
  CREATE TABLE alert_subscriptions (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    job_id INTEGER REFERENCES jobs (id) ON DELETE CASCADE,
    events TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
    reminder_hours INTEGER CHECK (reminder_hours IS NULL OR reminder_hours BETWEEN 1 AND 168),
    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (provider_id, company_id, contact_id) REFERENCES contacts (provider_id, company_id, id) ON DELETE CASCADE
  ) STRICT;
  -- A change to a job finds the alerts of its company (the queueing statement's entry point).
  CREATE INDEX alert_subscriptions_by_company ON alert_subscriptions (provider_id, company_id, paused);
  CREATE INDEX alert_subscriptions_by_contact ON alert_subscriptions (provider_id, contact_id, id);
  CREATE INDEX alert_subscriptions_by_job ON alert_subscriptions (job_id);

  CREATE TABLE alert_subscription_destinations (
    subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
    destination_id INTEGER NOT NULL REFERENCES alert_destinations (id) ON DELETE CASCADE,
    PRIMARY KEY (subscription_id, destination_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX alert_subscription_destinations_by_destination ON alert_subscription_destinations (destination_id);

  -- The alerts outbox. One row per (alert, destination, job or quote, event, occurrence): the
  -- dedupe key makes a second queueing of the same occurrence a no-op. Reminders wait here with
  -- their due time. A worker claims rows (status 'sending', due_at = end of its lease), so two
  -- processes never send the same row; a lease that runs out (the process died) makes the row
  -- claimable again. Verification messages carry their text (it holds the code), blanked once sent.
  CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    destination_id INTEGER NOT NULL REFERENCES alert_destinations (id) ON DELETE CASCADE,
    subscription_id INTEGER REFERENCES alert_subscriptions (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('alert', 'reminder', 'verify', 'test')),
    event TEXT NOT NULL,
    job_id INTEGER REFERENCES jobs (id) ON DELETE CASCADE,
    quote_id INTEGER REFERENCES quotes (id) ON DELETE CASCADE,
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    dedupe_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'kept', 'failed', 'dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    claim_token TEXT,
    recipient TEXT,
    subject TEXT,
    body TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
  ) STRICT;
  CREATE INDEX alert_outbox_due ON alert_outbox (status, due_at);
  CREATE INDEX alert_outbox_by_job ON alert_outbox (job_id, kind, status);
  CREATE INDEX alert_outbox_by_provider ON alert_outbox (provider_id, status, id);
  CREATE INDEX alert_outbox_by_contact ON alert_outbox (contact_id, status);
`;
