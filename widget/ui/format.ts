/** How the elements show dates, money and statuses: one place, so every element agrees. */
import type { JobStatus, QuoteStatus } from '../api/client.js';

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "12 Mar 2026" from an ISO timestamp or a YYYY-MM-DD date; '' for null. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? value + 'T12:00:00' : value);
  return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : dateTimeFmt.format(d);
}

export function formatMoney(cents: number | null | undefined, currency: string): string {
  if (cents === null || cents === undefined) return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  requested: 'Requested',
  scheduled: 'Scheduled',
  on_the_way: 'Technician on the way',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const QUOTE_STATUS_LABELS: Record<QuoteStatus, string> = {
  requested: 'Requested',
  // Not "your": a contact who may only view quotes sees it too.
  sent: 'Awaiting answer',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
};

/** Tone of a status badge: the colour says roughly where it stands; the text always says exactly. */
export type Tone = 'neutral' | 'info' | 'progress' | 'success' | 'warning' | 'danger';

export const JOB_STATUS_TONES: Record<JobStatus, Tone> = {
  requested: 'neutral',
  scheduled: 'info',
  on_the_way: 'progress',
  in_progress: 'progress',
  on_hold: 'warning',
  completed: 'success',
  cancelled: 'danger',
};

export const QUOTE_STATUS_TONES: Record<QuoteStatus, Tone> = {
  requested: 'neutral',
  sent: 'warning',
  accepted: 'success',
  declined: 'danger',
  expired: 'neutral',
};
