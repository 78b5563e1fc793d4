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

/** Theme values, checked on the server when set and in the browser when given as attributes. */
export const THEME_PATTERNS = {
  color: /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  // Only characters that cannot break out of a CSS declaration.
  fontFamily: /^[\w\s,'"-]{1,200}$/,
  radius: /^(?:\d{1,3}(?:\.\d{1,2})?(?:px|rem|em)|0)$/,
  logoUrl: /^(?:https?:\/\/[^\s"'()<>]+|\/[^\s"'()<>]*)$/,
} as const;
