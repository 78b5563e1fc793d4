/** Logging in and out, who am I, and the password flows (invitation and reset links). */
import { z } from 'zod';
import { DETAILS_ACCESS, EQUIPMENT_ACCESS, LIMITS, RECORD_ACCESS } from '../contract.js';
import { email, isoTime } from '../http/fields.js';
import { ProviderPublicSchema } from '../providers/schemas.js';

const password = z.string({ error: 'is required' }).min(1, 'is required').max(LIMITS.password, 'is too long');
const linkToken = z.string({ error: 'is required' }).min(1, 'is required').max(100, 'is not a valid link');

export const LoginBody = z.object({ email, password });
export type LoginRequest = z.infer<typeof LoginBody>;
export const ForgotPasswordBody = z.object({ email });
export const LinkBody = z.object({ token: linkToken });
export const SetPasswordBody = z.object({ token: linkToken, password });
export const ChangePasswordBody = z.object({ currentPassword: password, newPassword: password });

export const PermissionsSchema = z
  .object({
    jobs: z.enum(RECORD_ACCESS),
    quotes: z.enum(RECORD_ACCESS),
    createJobs: z.boolean(),
    createQuotes: z.boolean(),
    equipment: z.enum(EQUIPMENT_ACCESS),
    details: z.enum(DETAILS_ACCESS),
    map: z.boolean(),
    alerts: z.boolean(),
  })
  .meta({ id: 'Permissions' });
export type Permissions = z.infer<typeof PermissionsSchema>;

export const CompanyInfo = z.object({ id: z.number().int(), name: z.string(), address: z.string(), phone: z.string(), email: z.string() });
export const ContactInfo = z.object({ id: z.number().int(), name: z.string(), email: z.string(), phone: z.string() });

export const MeSchema = z
  .object({ contact: ContactInfo, company: CompanyInfo, permissions: PermissionsSchema, provider: ProviderPublicSchema })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

export const LoginResponseSchema = z.object({ token: z.string(), expiresAt: isoTime, me: MeSchema }).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const MessageResponseSchema = z.object({ message: z.string() }).meta({ id: 'Message' });
export type MessageResponse = z.infer<typeof MessageResponseSchema>;

export const LinkInfoSchema = z
  .object({ purpose: z.enum(['invite', 'reset']), email: z.string(), name: z.string(), expiresAt: isoTime })
  .meta({ id: 'LinkInfo' });
export type LinkInfo = z.infer<typeof LinkInfoSchema>;

export const HealthSchema = z.object({ status: z.literal('ok'), version: z.string() });
export type HealthResponse = z.infer<typeof HealthSchema>;
