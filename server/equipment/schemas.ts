/** Equipment at the customer's sites: listed and added from the portal, kept up by the provider. */
import { z } from 'zod';
import { LIMITS, PAGE } from '../contract.js';
import { atLeastOne, cursor, dbId, id, isoDate, isoTime, pageLimit, pageOf, required, text } from '../http/fields.js';

export const EquipmentListQuery = z.strictObject({
  q: text(LIMITS.search).optional(),
  cursor: cursor.optional(),
  limit: pageLimit().default(PAGE.equipment),
});
export type EquipmentListParams = z.input<typeof EquipmentListQuery>;

const equipmentFields = {
  name: required(LIMITS.name),
  make: text(LIMITS.make),
  model: text(LIMITS.model),
  serial: text(LIMITS.serial),
  location: text(LIMITS.location),
  installedOn: isoDate.nullable(),
  lastServiceOn: isoDate.nullable(),
  nextServiceOn: isoDate.nullable(),
};
const withDefaults = {
  name: equipmentFields.name,
  make: equipmentFields.make.default(''),
  model: equipmentFields.model.default(''),
  serial: equipmentFields.serial.default(''),
  location: equipmentFields.location.default(''),
  installedOn: equipmentFields.installedOn.default(null),
  lastServiceOn: equipmentFields.lastServiceOn.default(null),
  nextServiceOn: equipmentFields.nextServiceOn.default(null),
};

// "Today" anywhere on Earth (UTC+14): an install date later than that has not happened yet.
const latestToday = (): string => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);

export const EquipmentCreateBody = z.strictObject(withDefaults).superRefine((e, ctx) => {
  if (e.installedOn && e.installedOn > latestToday()) ctx.addIssue({ code: 'custom', path: ['installedOn'], message: 'cannot be in the future' });
  if (e.installedOn && e.lastServiceOn && e.lastServiceOn < e.installedOn) ctx.addIssue({ code: 'custom', path: ['lastServiceOn'], message: 'cannot be before the install date' });
  if (e.lastServiceOn && e.lastServiceOn > latestToday()) ctx.addIssue({ code: 'custom', path: ['lastServiceOn'], message: 'cannot be in the future' });
});
export type EquipmentCreateRequest = z.input<typeof EquipmentCreateBody>;

const dateOrNull = z.string().nullable();
export const EquipmentSchema = z
  .object({
    id: dbId,
    name: z.string(),
    make: z.string(),
    model: z.string(),
    serial: z.string(),
    location: z.string(),
    installedOn: dateOrNull,
    lastServiceOn: dateOrNull,
    nextServiceOn: dateOrNull,
    createdAt: isoTime,
  })
  .meta({ id: 'Equipment' });
export type Equipment = z.infer<typeof EquipmentSchema>;
export const EquipmentPageSchema = pageOf(EquipmentSchema).meta({ id: 'EquipmentPage' });

// Provider side -------------------------------------------------------------------------------

export const EquipmentCreateProvider = z.strictObject({ companyId: id, ...withDefaults });
export const EquipmentUpdateProvider = atLeastOne(z.strictObject(equipmentFields).partial());

export const ProviderEquipmentSchema = EquipmentSchema.extend({ companyId: dbId, source: z.string(), updatedAt: isoTime }).meta({ id: 'ProviderEquipment' });
export type ProviderEquipment = z.infer<typeof ProviderEquipmentSchema>;
