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
  provider: string;
  to: string;
  subject: string;
  kind: string;
  text: string;
  status: string;
  createdAt: string;
}
