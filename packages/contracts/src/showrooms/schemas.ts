// Showrooms (CRM, seed 001), kept in the company's own tenant database.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";
import { AddressSchema } from "../shared/fields.ts";
import { LogoUrlSchema } from "../shared/logo.ts";

export const SHOWROOM_TYPES = ["retail", "trade", "outlet"] as const;
export const ShowroomTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, "lower-case letters, digits and _");

export const ShowroomSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    address: AddressSchema,
    settings: z.record(z.string(), z.unknown()),
    branding: z.object({ logo_url: z.string().nullable(), primary_color: z.string().nullable() }),
    member_ids: z.array(z.string()).meta({ description: "Users (members of the company) working here" }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Showroom" });
export type Showroom = z.infer<typeof ShowroomSchema>;

const BrandingSchema = z.object({
  // The company logo's rule (https or an inline PNG/JPEG/WebP), never any URL scheme.
  logo_url: LogoUrlSchema.nullable().default(null),
  primary_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #1e6fd9")
    .nullable()
    .default(null),
});

/** A showroom's fields as a change names them: no defaults, so a field left out stays as it is. */
const showroomFields = {
  name: z.string().trim().min(1).max(120),
  type: ShowroomTypeSchema,
  address: AddressSchema,
  settings: z.record(z.string(), z.unknown()),
  branding: BrandingSchema,
  member_ids: z.array(z.string().min(1).max(64)).max(500),
};

export const ShowroomInputSchema = z
  .object({
    ...showroomFields,
    address: showroomFields.address.default({}),
    settings: showroomFields.settings.default({}),
    branding: BrandingSchema.default({ logo_url: null, primary_color: null }),
    member_ids: showroomFields.member_ids.default([]),
  })
  .meta({ id: "ShowroomInput" });
// Built from the fields without their defaults: zod applies a default inside .partial() too, so a
// PATCH naming only `name` would otherwise reset the address, settings, branding and staff.
export const UpdateShowroomRequestSchema = z
  .object(showroomFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateShowroomRequest" });
export const ShowroomResponseSchema = z.object({ success: z.literal(true), showroom: ShowroomSchema });
export const ShowroomListSchema = z.object({ success: z.literal(true), showrooms: z.array(ShowroomSchema) });
