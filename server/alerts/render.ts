/**
 * Alert texts, made at send time: the provider's current name, colours and logo, the job's
 * current number and title, times in the provider's time zone. The same functions make the
 * preview the customer sees while setting an alert up.
 */
import type { Provider } from '../providers/data.js';
import { layout, text, type Footer } from '../mail/templates.js';
import type { AlertChannel } from './schemas.js';

export interface AlertFacts {
  event: string;
  kind: 'alert' | 'reminder' | 'verify' | 'test';
  contactName: string;
  timeZone: string;
  job?: { number: string; title: string; address: string; start: number | null; technician: string | null; eta: number | null; reminderHours: number | null };
  quote?: { number: string; title: string; totalCents: number | null; currency: string; validUntil: number | null };
  /** The job's or quote's view in the portal. */
  link: string | null;
  /** Where to follow the technician (the job's view, when the map is on for the contact). */
  followLink: string | null;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string | null;
}

// Making a formatter costs far more than using one; a worker renders thousands in a row.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatTime(seconds: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f.format(new Date(seconds * 1000));
}

const money = (cents: number, currency: string): string =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);

/** Subject (the SMS sentence) and the paragraphs of one alert. */
function content(provider: Provider, f: AlertFacts): { subject: string; lines: string[]; action?: string } {
  const j = f.job;
  const when = (s: number | null) => (s === null ? 'a time to be confirmed' : formatTime(s, f.timeZone));
  const ref = j ? `job ${j.number} (${j.title})` : '';
  switch (f.event) {
    case 'job_scheduled':
      return {
        subject: `Job ${j!.number} is booked for ${when(j!.start)}`,
        lines: [`${provider.name} has booked ${ref} for ${when(j!.start)}${j!.address ? ` at ${j!.address}` : ''}.`, ...(j!.technician ? [`Your technician: ${j!.technician}.`] : [])],
        action: 'See the job',
      };
    case 'start_reminder':
      return {
        subject: `Reminder: job ${j!.number} starts ${when(j!.start)}`,
        lines: [`A reminder that ${ref} starts ${j!.reminderHours ? `in about ${j!.reminderHours} hour${j!.reminderHours === 1 ? '' : 's'}, ` : ''}at ${when(j!.start)}.`],
        action: 'See the job',
      };
    case 'on_the_way': {
      const who = j!.technician ?? 'Your technician';
      return {
        subject: `${who} is on the way (job ${j!.number})`,
        lines: [`${who} is on the way for ${ref}.`, ...(j!.eta ? [`Expected arrival: ${formatTime(j!.eta, f.timeZone)}.`] : [])],
        action: f.followLink ? 'Follow on the map' : 'See the job',
      };
    }
    case 'job_started':
      return { subject: `Work has started on job ${j!.number}`, lines: [`Work has started on ${ref}.`], action: 'See the job' };
    case 'job_completed':
      return { subject: `Job ${j!.number} is completed`, lines: [`${ref[0]!.toUpperCase()}${ref.slice(1)} is completed.`], action: 'See the job' };
    case 'quote_ready': {
      const q = f.quote!;
      const total = q.totalCents === null ? '' : ` for ${money(q.totalCents, q.currency)}`;
      const valid = q.validUntil ? ` It is valid until ${formatTime(q.validUntil, f.timeZone)}.` : '';
      return {
        subject: `Quote ${q.number} is ready for your answer`,
        lines: [`${provider.name} has sent you quote ${q.number} (${q.title})${total}.${valid}`, 'You can accept or decline it in the portal.'],
        action: 'See the quote',
      };
    }
    default:
      return {
        subject: `Test alert from ${provider.name}`,
        lines: [`This is a test alert from ${provider.name}. The alerts you set up will reach you here.`],
      };
  }
}

/** An alert as an email (HTML and text, with the unsubscribe link) or an SMS (one short text). */
export function renderAlert(provider: Provider, publicUrl: string | undefined, channel: AlertChannel, f: AlertFacts, unsubscribe: string | null): Rendered {
  const c = content(provider, f);
  const url = f.event === 'on_the_way' && f.followLink ? f.followLink : f.link;
  if (channel === 'sms') {
    const sms = `${provider.name}: ${c.subject}.${url ? ` ${url}` : ''} Reply STOP to stop.`;
    return { subject: c.subject, text: sms, html: null };
  }
  const paragraphs = [`Hello ${f.contactName},`, ...c.lines];
  const action = url && c.action ? { label: c.action, url } : undefined;
  const footer: Footer | undefined = unsubscribe
    ? { text: `You get this because you set up alerts with ${provider.name}.`, label: 'Unsubscribe', url: unsubscribe }
    : undefined;
  return { subject: c.subject, text: text(provider, paragraphs, action, footer), html: layout(provider, publicUrl, paragraphs, action, footer) };
}

/** The confirmation link for an extra email address, or the code for a phone number. */
export function renderVerification(provider: Provider, publicUrl: string | undefined, channel: AlertChannel, secret: string): Rendered {
  if (channel === 'sms') {
    return { subject: 'Your code', text: `${provider.name}: your code to receive alerts by SMS is ${secret}. It expires in 10 minutes.`, html: null };
  }
  const paragraphs = [`Someone asked to receive ${provider.name} job alerts at this address.`, 'If it was you, confirm with the button below. If not, ignore this email: nothing will be sent here.'];
  const action = { label: 'Confirm this address', url: secret };
  return { subject: `Confirm your email for ${provider.name} alerts`, text: text(provider, paragraphs, action), html: layout(provider, publicUrl, paragraphs, action) };
}
