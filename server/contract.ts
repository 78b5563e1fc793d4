/**
 * What the server and the widget both need at run time, without zod: statuses, permission
 * levels, field limits and the theme's value patterns. The server's zod schemas are built on
 * these; the widget imports them (bundled, a few hundred bytes), so a limit changes in one place.
 */

export const RECORD_ACCESS = ['none', 'view_own', 'view_all', 'edit_own', 'edit_all'] as const;
export type RecordAccess = (typeof RECORD_ACCESS)[number];
export const EQUIPMENT_ACCESS = ['none', 'view', 'add'] as const;
export const DETAILS_ACCESS = ['view', 'edit'] as const;

export const JOB_STATUSES = ['requested', 'scheduled', 'on_the_way', 'in_progress', 'on_hold', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const QUOTE_STATUSES = ['requested', 'sent', 'accepted', 'declined', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const JOB_SORTS = ['updated', 'created'] as const;

/** Longest text, in characters, each field takes. */
export const LIMITS = {
  search: 100,
  title: 200,
  description: 5000,
  address: 500,
  preferredDates: 500,
  siteContact: 200,
  answerNote: 1000,
  name: 200,
  email: 254,
  phone: 40,
  make: 100,
  model: 100,
  serial: 100,
  location: 300,
  password: 200,
} as const;

/** Page sizes of the customer lists. */
export const PAGE = { max: 100, jobs: 20, quotes: 20, equipment: 50 } as const;

export const PASSWORD_MIN_LENGTH = 10;

// In a module of its own so the widget's login path, which checks theme attributes, does not
// download the statuses and limits the lists and forms use.
export { THEME_PATTERNS } from './theme-patterns.js';
