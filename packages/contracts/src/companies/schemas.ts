// Companies as operators see and change them: the record, its settings, suspension.
import { z } from "zod";
import { ChannelNameSchema } from "../channels/schemas.ts";
import {
  AppVersionSchema,
  IsoDateSchema,
  PaginationQuerySchema,
  SettingsInputSchema,
  SettingsSchema,
  SubscriptionTierSchema,
} from "../shared/common.ts";

export const CompanySchema = z
  .object({
    id: z.string(),
    company_code: z.string(),
    company_name: z.string(),
    admin_email: z.string(),
    admin_phone: z.string().nullable(),
    subscription_status: z.string(),
    subscription_tier: SubscriptionTierSchema,
    max_users: z.number().int(),
    max_installations: z.number().int(),
    active_installations: z.number().int(),
    settings: SettingsSchema,
    settings_version: z.number().int(),
    update_channel: z.string(),
    minimum_app_version: z.string().nullable(),
    database_provider: z.enum(["d1", "custom"]),
    suspended: z.boolean(),
    suspended_reason: z.string().nullable(),
    expires_at: IsoDateSchema.nullable(),
    stripe_customer_id: z
      .string()
      .nullable()
      .meta({ description: "The Stripe customer whose subscription drives billing" }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Company" });
export type Company = z.infer<typeof CompanySchema>;

export const CompanyListQuerySchema = PaginationQuerySchema.extend({
  q: z.string().trim().max(200).optional().meta({ description: "Matches name, code or admin email" }),
  tier: SubscriptionTierSchema.optional(),
  status: z
    .enum(["active", "suspended"])
    .optional()
    .meta({ description: "`suspended`: suspended by an operator; `active`: not suspended" }),
});
export const CompanyListSchema = z
  .object({ success: z.literal(true), companies: z.array(CompanySchema), next_cursor: z.string().nullable() })
  .meta({ id: "CompanyList" });

export const CompanyResponseSchema = z.object({ success: z.literal(true), company: CompanySchema });
export const UpdateSettingsResponseSchema = CompanyResponseSchema.extend({
  pushed_to: z.number().int().nullable().meta({
    description:
      "How many installations connected to the live channel were sent the new settings now (the others get them at their next heartbeat); null if the company's hub could not be reached",
  }),
}).meta({ id: "UpdateSettingsResponse" });

export const UpdateCompanyRequestSchema = z
  .object({
    company_name: z.string().trim().min(1).max(200),
    admin_email: z.email().max(254),
    subscription_tier: SubscriptionTierSchema,
    max_installations: z.number().int().min(0).max(1_000_000),
    max_users: z.number().int().min(0).max(1_000_000),
    update_channel: ChannelNameSchema,
    minimum_app_version: AppVersionSchema.nullable(),
    expires_at: IsoDateSchema.nullable(),
    stripe_customer_id: z
      .string()
      .regex(/^cus_[A-Za-z0-9]{1,250}$/, "a Stripe customer id such as cus_NffrFeUfNV2Hib")
      .nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateCompanyRequest" });

export const UpdateSettingsRequestSchema = z
  .object({
    settings: SettingsInputSchema,
    mode: z.enum(["merge", "replace"]).default("merge").meta({
      description:
        "merge: keys in `settings` overwrite existing ones (null deletes a key); replace: settings become exactly `settings`",
    }),
  })
  .meta({ id: "UpdateSettingsRequest" });

export const SuspendCompanyRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .meta({ id: "SuspendCompanyRequest" });
