// Single-use registration tokens: an operator issues one; a company's first app registers with it.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema, SubscriptionTierSchema } from "../shared/common.ts";

export const CreateRegistrationTokenRequestSchema = z
  .object({
    label: z.string().trim().max(200).optional(),
    expires_in_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    subscription_tier: SubscriptionTierSchema.default("standard").meta({
      description: "The tier the registered company gets; the registrant cannot choose another",
    }),
    max_installations: z.number().int().min(0).max(1_000_000).nullable().default(null).meta({
      description: "Seats of the registered company; null (the default): the tier's",
    }),
    max_users: z.number().int().min(0).max(1_000_000).nullable().default(null).meta({
      description: "Dashboard users of the registered company; null (the default): the tier's",
    }),
    subscription_days: z.number().int().min(1).max(3650).nullable().default(null).meta({
      description:
        "The registered company's subscription ends this many days after it registers; null: no end",
    }),
  })
  .meta({ id: "CreateRegistrationTokenRequest" });
/** What a registration token gives the company it registers (the operator's choice). */
const RegistrationTokenGrantFields = {
  subscription_tier: SubscriptionTierSchema,
  max_installations: z.number().int().meta({ description: "The tier's default unless the operator chose" }),
  max_users: z.number().int(),
  subscription_days: z.number().int().nullable(),
};
export const RegistrationTokenResponseSchema = z
  .object({
    success: z.literal(true),
    id: z.string(),
    token: z.string().meta({ description: "Shown once; only its hash is stored" }),
    label: z.string().nullable(),
    expires_at: IsoDateSchema,
    ...RegistrationTokenGrantFields,
  })
  .meta({ id: "RegistrationTokenResponse" });

export const RegistrationTokenStateSchema = z.enum(["active", "used", "expired", "revoked"]);
export const RegistrationTokenListQuerySchema = PaginationQuerySchema.extend({
  state: RegistrationTokenStateSchema.optional(),
});
export const RegistrationTokenSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    state: RegistrationTokenStateSchema,
    created_at: IsoDateSchema,
    expires_at: IsoDateSchema,
    used_at: IsoDateSchema.nullable(),
    used_by_company_id: z.string().nullable(),
    revoked_at: IsoDateSchema.nullable(),
    ...RegistrationTokenGrantFields,
  })
  .meta({
    id: "RegistrationToken",
    description: "A registration token without its secret (only its hash is stored)",
  });
export type RegistrationToken = z.infer<typeof RegistrationTokenSchema>;
export const RegistrationTokenListSchema = z
  .object({
    success: z.literal(true),
    tokens: z.array(RegistrationTokenSchema).meta({ description: "Newest first" }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "RegistrationTokenList" });
export const RegistrationTokenItemSchema = z.object({
  success: z.literal(true),
  token: RegistrationTokenSchema,
});
