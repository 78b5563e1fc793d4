/** The provider's customers: companies and their contacts (with each contact's permissions). */
import { z } from 'zod';
import { DETAILS_ACCESS, EQUIPMENT_ACCESS, LIMITS, RECORD_ACCESS } from '../contract.js';
import { atLeastOne, boolean, dbId, email, id, isoTime, oneOf, pageOf, phone, required, text } from '../http/fields.js';
import { PermissionsSchema } from '../sessions/schemas.js';

export const PermissionsInput = z
  .strictObject({
    jobs: oneOf(RECORD_ACCESS),
    quotes: oneOf(RECORD_ACCESS),
    createJobs: boolean,
    createQuotes: boolean,
    equipment: z.enum(EQUIPMENT_ACCESS, { error: 'must be none, view or add' }),
    details: z.enum(DETAILS_ACCESS, { error: 'must be view or edit' }),
    map: boolean,
    alerts: boolean,
  })
  .partial();

// Update schemas list their fields without defaults: zod applies a default even inside
// .partial(), which would blank every field a PATCH leaves out.
const companyFields = { name: required(LIMITS.name), address: text(LIMITS.address), phone, email: z.union([z.literal(''), email]) };
export const CompanyCreate = z.strictObject({
  name: companyFields.name,
  address: companyFields.address.default(''),
  phone: companyFields.phone.default(''),
  email: companyFields.email.default(''),
});
export const CompanyUpdate = atLeastOne(z.strictObject(companyFields).partial());

export const ContactCreate = z.strictObject({
  companyId: id,
  email,
  name: required(LIMITS.name),
  phone: phone.default(''),
  permissions: PermissionsInput.default({}),
  /** Send the invitation email now (default true). */
  invite: boolean.default(true),
});
export const ContactUpdate = atLeastOne(
  z
    .strictObject({
      name: required(LIMITS.name),
      phone,
      // `{}` would leave nothing to set (and an UPDATE with no columns).
      permissions: PermissionsInput.refine((p) => Object.keys(p).length > 0, 'must change at least one permission'),
      disabled: boolean,
    })
    .partial(),
);

export const ProviderCompanySchema = z
  .object({ id: dbId, name: z.string(), address: z.string(), phone: z.string(), email: z.string(), createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: 'ProviderCompany' });
export type ProviderCompany = z.infer<typeof ProviderCompanySchema>;
export const ProviderCompanyPageSchema = pageOf(ProviderCompanySchema).meta({ id: 'ProviderCompanyPage' });

export const ProviderContactSchema = z
  .object({
    id: dbId,
    companyId: dbId,
    email: z.string(),
    name: z.string(),
    phone: z.string(),
    disabled: z.boolean(),
    hasPassword: z.boolean(),
    permissions: PermissionsSchema,
  })
  .meta({ id: 'ProviderContact' });
export type ProviderContact = z.infer<typeof ProviderContactSchema>;
export const ContactCreatedSchema = ProviderContactSchema.extend({ invitationExpiresAt: isoTime.nullable() }).meta({ id: 'ContactCreated' });
export const InvitationSchema = z.object({ invitationExpiresAt: isoTime }).meta({ id: 'Invitation' });
