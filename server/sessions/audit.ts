import { type Db, stmt, nowSeconds } from '../db/index.js';

export type AuditEvent =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'logout_everywhere'
  | 'reset_requested'
  | 'password_changed'
  | 'invite_sent'
  | 'invite_accepted';

/** Appends to the audit log. `detail` must never hold a secret (password, token, link). */
export function audit(
  db: Db,
  entry: { providerId: number; contactId?: number | null; event: AuditEvent; ip?: string | null; detail?: Record<string, unknown> },
): void {
  stmt(db, 'INSERT INTO audit_log (provider_id, contact_id, event, ip, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    entry.providerId,
    entry.contactId ?? null,
    entry.event,
    entry.ip ?? null,
    JSON.stringify(entry.detail ?? {}),
    nowSeconds(),
  );
}
