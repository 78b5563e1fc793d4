/**
 * Appointment windows and timeline entries, formatted in the browser from the data the server
 * sends: in the viewer's time zone, with relative days ("Tomorrow, 5:00 – 7:00 PM"), and in the
 * provider's zone too when it differs ("9:00 – 11:00 AM in Sydney").
 */
import type { JobEvent } from '../api/client.js';
import { JOB_STATUS_LABELS } from './format.js';

const DAY_MS = 86_400_000;

/**
 * Formatters made once per locale and options: making one costs far more than formatting with it,
 * and a list of 1,000 rows formats several dates a row on every render.
 */
const made = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string | undefined, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = made.get(key);
  if (!f) made.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}
let relative: Intl.RelativeTimeFormat | undefined;

const viewerZone = (): string => dtf(undefined).resolvedOptions().timeZone;

/** YYYY-MM-DD of an instant in a zone, for counting calendar days. */
function dayIn(d: Date, timeZone: string): number {
  const [y, m, day] = dtf('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d).split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, day) / DAY_MS;
}

/** "Today", "Tomorrow", "Yesterday", else "Tue, 14 Sep" (with the year when not this year). */
export function relativeDay(d: Date, now = new Date(), timeZone = viewerZone()): string {
  const diff = dayIn(d, timeZone) - dayIn(now, timeZone);
  if (Math.abs(diff) <= 1) {
    const word = (relative ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })).format(diff, 'day');
    return word.charAt(0).toUpperCase() + word.slice(1);
  }
  const sameYear = new Date(now).getFullYear() === d.getFullYear();
  return dtf(undefined, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' }).format(d);
}

function timeRange(start: Date, end: Date | null, timeZone: string): string {
  const fmt = dtf(undefined, { timeZone, hour: 'numeric', minute: '2-digit' });
  return end && end > start ? fmt.formatRange(start, end) : fmt.format(start);
}

/** Whether two zones show a different clock at that instant. */
function differs(at: Date, a: string, b: string): boolean {
  const clock = (timeZone: string) => dtf('en', { timeZone, hour: 'numeric', minute: 'numeric', day: 'numeric' }).format(at);
  return clock(a) !== clock(b);
}

/** The city of an IANA zone ("Australia/Sydney" → "Sydney"), to name it in a sentence. */
const cityOf = (zone: string): string => (zone.split('/').pop() ?? zone).replace(/_/g, ' ');

/**
 * "Tomorrow, 5:00 – 7:00 PM"; with the provider's time when its clock differs:
 * "Tomorrow, 5:00 – 7:00 PM (9:00 – 11:00 AM in Sydney)". '' when there is no start.
 */
export function appointment(start: string | null | undefined, end: string | null | undefined, providerZone?: string, now = new Date()): string {
  if (!start) return '';
  const s = new Date(start);
  if (Number.isNaN(s.getTime())) return '';
  const e = end ? new Date(end) : null;
  const zone = viewerZone();
  const here = `${relativeDay(s, now, zone)}, ${timeRange(s, e, zone)}`;
  if (!providerZone || !differs(s, zone, providerZone)) return here;
  const sameDay = dayIn(s, zone) === dayIn(s, providerZone);
  const there = `${sameDay ? '' : `${relativeDay(s, now, providerZone)}, `}${timeRange(s, e, providerZone)}`;
  return `${here} (${there} in ${cityOf(providerZone)})`;
}

/** What a timeline entry says, from its data; the server's own text where there is no data. */
export function describeEvent(e: JobEvent, providerZone?: string, now = new Date()): string {
  const note = e.note ? `: ${e.note}` : '';
  if (e.type === 'scheduled' && e.scheduledStart) {
    return `Appointment ${appointment(e.scheduledStart, e.scheduledEnd, providerZone, now)}${note}`;
  }
  if (e.type === 'technician_assigned' && e.technician) return `Technician: ${e.technician}`;
  if (e.type === 'status_changed' && e.status) return `${e.status === 'in_progress' ? 'Work started' : JOB_STATUS_LABELS[e.status]}${note}`;
  return e.message;
}
