import type { AlertDestination, AlertEvent } from '../../api/client.js';

/** What each event means to a customer, in the order the form offers them. */
export const EVENT_LABELS: Record<AlertEvent, string> = {
  job_scheduled: 'Job booked or rescheduled',
  start_reminder: 'Reminder before the job starts',
  on_the_way: 'Technician on the way',
  job_started: 'Job started',
  job_completed: 'Job completed',
  quote_ready: 'Quote ready for my answer',
};

export const STATUS_LABELS: Record<AlertDestination['status'], string> = {
  verified: 'Confirmed',
  pending: 'Waiting for confirmation',
  opted_out: 'Turned off',
};

/** "Email alex@example.com" or "SMS +15551234567", for lists and checkboxes. */
export function destinationLabel(d: AlertDestination): string {
  return `${d.channel === 'sms' ? 'SMS' : 'Email'} ${d.address}${d.login ? ' (your login)' : ''}`;
}

/** Seconds until `iso`, at least 0. */
export function secondsUntil(iso: string | null, now = Date.now()): number {
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : 0;
}
