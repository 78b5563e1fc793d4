/**
 * The API contract: request schemas (validated at the edge with zod) and response types.
 * The widget imports the types from here (type-only), so a change on one side breaks the
 * build of the other; the OpenAPI document is generated from the same schemas.
 */
import { z } from 'zod';

export const RECORD_ACCESS = ['none', 'view_own', 'view_all', 'edit_own', 'edit_all'] as const;
export type RecordAccess = (typeof RECORD_ACCESS)[number];

const hexColor = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like #0a6cff');
// Only characters that cannot break out of a CSS declaration.
const fontFamily = z.string().max(200).regex(/^[\w\s,'"-]+$/, 'may contain letters, digits, spaces, commas, quotes and dashes');
const radius = z.string().regex(/^\d{1,3}(?:\.\d{1,2})?(?:px|rem|em)$|^0$/, 'must be a length like 6px or 0.5rem');
const logoUrl = z
  .string()
  .max(2000)
  .regex(/^(?:https?:\/\/[^\s"'()<>]+|\/[^\s"'()<>]*)$/, 'must be an http(s) URL or a path starting with /');

export const ThemeSchema = z.object({
  brandColor: hexColor.optional(),
  accentColor: hexColor.optional(),
  fontFamily: fontFamily.optional(),
  radius: radius.optional(),
  colorScheme: z.enum(['light', 'dark']).optional(),
  logoUrl: logoUrl.optional(),
});
export type Theme = z.infer<typeof ThemeSchema>;

export const FeaturesSchema = z.object({ map: z.boolean(), alerts: z.boolean() });
export type Features = z.infer<typeof FeaturesSchema>;

export const LoginBody = z.object({
  email: z.email({ error: 'must be an email address' }).max(254, 'is too long'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long'),
});
export type LoginRequest = z.infer<typeof LoginBody>;

export interface Permissions {
  jobs: RecordAccess;
  quotes: RecordAccess;
  createJobs: boolean;
  createQuotes: boolean;
  equipment: 'none' | 'view' | 'add';
  details: 'view' | 'edit';
  map: boolean;
  alerts: boolean;
}

export interface ProviderPublic {
  slug: string;
  name: string;
  theme: Theme;
  features: Features;
}

export interface Me {
  contact: { id: number; name: string; email: string; phone: string };
  company: { id: number; name: string; address: string; phone: string; email: string };
  permissions: Permissions;
  provider: ProviderPublic;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  me: Me;
}

export interface HealthResponse {
  status: 'ok';
  version: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

const password = z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long');
const linkToken = z.string({ error: 'is required' }).min(1, 'is required').max(100, 'is not a valid link');

export const ForgotPasswordBody = z.object({ email: LoginBody.shape.email });
export const LinkBody = z.object({ token: linkToken });
export const SetPasswordBody = z.object({ token: linkToken, password });
export const ChangePasswordBody = z.object({ currentPassword: password, newPassword: password });

export interface MessageResponse {
  message: string;
}

export interface LinkInfo {
  purpose: 'invite' | 'reset';
  email: string;
  name: string;
  expiresAt: string;
}

export interface MailboxEntry {
  id: number;
  /** SMS appear beside emails while no SMS gateway is configured. */
  channel: 'email' | 'sms';
  provider: string;
  to: string;
  subject: string;
  kind: string;
  text: string;
  status: string;
  createdAt: string;
}

// ---------------------------------------------------------------------------------------------
// Jobs, quotes, equipment, my details

export const JOB_STATUSES = ['requested', 'scheduled', 'on_the_way', 'in_progress', 'on_hold', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const QUOTE_STATUSES = ['requested', 'sent', 'accepted', 'declined', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** Trimmed text of at most `max` characters; control characters other than newlines and tabs refused. */
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');
const required = (max: number) => text(max).min(1, 'is required');
const isoDate = z
  .string({ error: 'must be a date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && new Date(d + 'T00:00:00Z').toISOString().startsWith(d), 'is not a real date');

const cursor = z.string().max(200, 'is not a valid cursor').regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor');
const limit = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100');

export const JobListQuery = z.strictObject({
  q: text(100).optional(),
  status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
  sort: z.enum(['updated', 'created'], { error: 'must be updated or created' }).default('updated'),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type JobListParams = z.input<typeof JobListQuery>;

const jobFields = { title: required(200), description: text(5000), address: required(500), preferredDates: text(500), siteContact: text(200) };
export const JobCreateBody = z.strictObject({
  title: jobFields.title,
  description: jobFields.description.default(''),
  address: jobFields.address,
  preferredDates: jobFields.preferredDates.default(''),
  siteContact: jobFields.siteContact.default(''),
});
export type JobCreateRequest = z.input<typeof JobCreateBody>;

/** Fields without defaults: zod applies defaults even inside .partial(), which would blank what a PATCH leaves out. */
export const JobUpdateBody = z.strictObject(jobFields).partial().refine((b) => Object.keys(b).length > 0, 'must change at least one field');
export type JobUpdateRequest = z.input<typeof JobUpdateBody>;

export interface JobSummary {
  id: number;
  number: string;
  title: string;
  status: JobStatus;
  address: string;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  technician: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobEvent {
  id: number;
  type: 'created' | 'updated' | 'scheduled' | 'technician_assigned' | 'status_changed' | 'note';
  status: JobStatus | null;
  message: string;
  actor: 'customer' | 'office' | 'system';
  at: string;
}

export interface JobDetail extends JobSummary {
  description: string;
  preferredDates: string;
  siteContact: string;
  source: 'portal' | 'office';
  /** Whether this contact may edit this job now (permission, and the job is still open). */
  canEdit: boolean;
  timeline: JobEvent[];
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const QuoteListQuery = z.strictObject({
  q: text(100).optional(),
  status: z.enum(QUOTE_STATUSES, { error: `must be one of ${QUOTE_STATUSES.join(', ')}` }).optional(),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type QuoteListParams = z.input<typeof QuoteListQuery>;

export const QuoteRequestBody = z.strictObject({
  title: required(200),
  description: text(5000).default(''),
  address: text(500).default(''),
});
export type QuoteRequest = z.input<typeof QuoteRequestBody>;

export const QuoteAnswerBody = z.strictObject({ note: text(1000).default('') });
export type QuoteAnswer = z.input<typeof QuoteAnswerBody>;

export interface QuoteSummary {
  id: number;
  number: string;
  title: string;
  status: QuoteStatus;
  currency: string;
  totalCents: number | null;
  validUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface QuoteLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
}

export interface QuoteDetail extends QuoteSummary {
  description: string;
  address: string;
  lines: QuoteLine[];
  sentAt: string | null;
  responseNote: string | null;
  respondedAt: string | null;
  /** Whether this contact may accept or decline it now (permission, sent, not expired). */
  canAnswer: boolean;
}

export const EquipmentListQuery = z.strictObject({
  q: text(100).optional(),
  cursor: cursor.optional(),
  limit: limit.default(50),
});
export type EquipmentListParams = z.input<typeof EquipmentListQuery>;

export const EquipmentCreateBody = z.strictObject({
  name: required(200),
  make: text(100).default(''),
  model: text(100).default(''),
  serial: text(100).default(''),
  location: text(300).default(''),
  installedOn: isoDate.nullable().default(null),
  lastServiceOn: isoDate.nullable().default(null),
  nextServiceOn: isoDate.nullable().default(null),
});
export type EquipmentCreateRequest = z.input<typeof EquipmentCreateBody>;

export interface Equipment {
  id: number;
  name: string;
  make: string;
  model: string;
  serial: string;
  location: string;
  installedOn: string | null;
  lastServiceOn: string | null;
  nextServiceOn: string | null;
  createdAt: string;
}

const phone = text(40).refine((p) => p === '' || /^[+()\d\s.-]{3,40}$/.test(p), 'must be a phone number');
const optionalEmail = text(254).refine((e) => e === '' || z.email().safeParse(e).success, 'must be an email address');

export const DetailsUpdateBody = z
  .strictObject({
    company: z
      .strictObject({ name: required(200), address: text(500), phone, email: optionalEmail })
      .partial()
      .optional(),
    contact: z.strictObject({ name: required(200), phone }).partial().optional(),
  })
  .refine((b) => Object.keys(b.company ?? {}).length + Object.keys(b.contact ?? {}).length > 0, 'must change at least one field');
export type DetailsUpdateRequest = z.input<typeof DetailsUpdateBody>;

export interface Details {
  company: { id: number; name: string; address: string; phone: string; email: string };
  contact: { id: number; name: string; email: string; phone: string };
  canEdit: boolean;
}
