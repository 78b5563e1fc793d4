/** "My details": the contact's company and their own name and phone. */
import { z } from 'zod';
import { LIMITS } from '../contract.js';
import { optionalEmail, phone, required, text } from '../http/fields.js';
import { CompanyInfo, ContactInfo } from '../sessions/schemas.js';

export const DetailsUpdateBody = z
  .strictObject({
    company: z
      .strictObject({ name: required(LIMITS.name), address: text(LIMITS.address), phone, email: optionalEmail })
      .partial()
      .optional(),
    contact: z.strictObject({ name: required(LIMITS.name), phone }).partial().optional(),
  })
  .refine((b) => Object.keys(b.company ?? {}).length + Object.keys(b.contact ?? {}).length > 0, 'must change at least one field');
export type DetailsUpdateRequest = z.input<typeof DetailsUpdateBody>;

export const DetailsSchema = z.object({ company: CompanyInfo, contact: ContactInfo, canEdit: z.boolean() }).meta({ id: 'Details' });
export type Details = z.infer<typeof DetailsSchema>;
