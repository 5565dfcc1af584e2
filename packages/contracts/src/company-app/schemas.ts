// The desktop app's wire contract (seed 000): snake_case JSON with a `success` flag.
// Extend only by adding fields; the shipped app must keep working.
import { z } from "zod";
import {
  AppVersionSchema,
  CompanyCodeSchema,
  IsoDateSchema,
  MachineIdSchema,
  SettingsSchema,
  SubscriptionTierSchema,
} from "../shared/common.ts";

export const CustomDatabaseConfigSchema = z
  .object({
    provider: z.literal("custom"),
    engine: z.string().trim().min(1).max(40).default("postgresql"),
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    database: z.string().trim().min(1).max(255),
    username: z.string().min(1).max(255),
    password: z.string().min(1).max(1024),
    ssl: z.boolean().default(true),
  })
  .meta({ id: "CustomDatabaseConfig", description: "A database the company runs itself; stored encrypted." });

export const D1DatabaseConfigSchema = z
  .object({
    provider: z.literal("d1"),
    api_base_url: z
      .url()
      .meta({ description: "Where the company's apps reach their data, through this API" }),
    schema_version: z.string(),
  })
  .meta({ id: "D1DatabaseConfig", description: "The company's own D1 database, reached through the API." });

export const DatabaseConfigSchema = z
  .discriminatedUnion("provider", [D1DatabaseConfigSchema, CustomDatabaseConfigSchema])
  .meta({ id: "DatabaseConfig" });
export type DatabaseConfig = z.infer<typeof DatabaseConfigSchema>;

export const RegisterRequestSchema = z
  .object({
    company_name: z.string().trim().min(1).max(200),
    admin_email: z.email().max(254),
    admin_phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{5,30}$/, "a phone number such as +1 555 010 2030")
      .optional(),
    subscription_tier: SubscriptionTierSchema.optional().meta({
      description:
        "Operators only. Others' requests may carry it (seed 000's desktop contract lists it) but it is ignored: a registration token's tier (chosen by the operator who created it) applies, and an open-mode registration is a trial.",
    }),
    database_config: CustomDatabaseConfigSchema.optional(),
    company_code: CompanyCodeSchema.optional().meta({
      description:
        "Operators only: keep an existing code (e.g. when migrating a company). Others get a generated one.",
    }),
  })
  .meta({ id: "RegisterRequest" });
export type RegisterRequest = z.input<typeof RegisterRequestSchema>;

export const RegisterResponseSchema = z
  .object({
    success: z.literal(true),
    company_id: z.string(),
    company_code: z.string(),
    company_name: z.string(),
    subscription_status: z.string(),
    subscription_tier: SubscriptionTierSchema,
    expires_at: IsoDateSchema.nullable(),
    database_config: DatabaseConfigSchema,
  })
  .meta({ id: "RegisterResponse" });
export type RegisterResponse = z.infer<typeof RegisterResponseSchema>;

/** Random and long: it is the machine's proof of identity, kept only as a hash on the server. */
export const InstallationSecretSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,128}$/, "32 to 128 characters of A-Z, a-z, 0-9, _ and -");

export const ValidateRequestSchema = z
  .object({
    company_code: CompanyCodeSchema,
    machine_id: MachineIdSchema,
    hostname: z.string().trim().min(1).max(255),
    username: z.string().trim().max(255).optional(),
    os_version: z.string().trim().max(100).optional(),
    app_version: AppVersionSchema.optional(),
    installation_secret: InstallationSecretSchema.optional().meta({
      description:
        "The secret that binds this machine's installation. Once an installation is bound, validating its machine_id again needs this secret (or, as `Authorization: Bearer`, an installation token of that installation, expired up to 30 days ago); otherwise 409 INSTALLATION_BOUND. On the first validate, a client may propose its own (then a lost answer costs nothing); without one the server generates one and answers it once in installation.secret.",
    }),
  })
  .meta({ id: "ValidateRequest" });
export type ValidateRequest = z.input<typeof ValidateRequestSchema>;

export const InstallationCredentialSchema = z.object({
  id: z.string(),
  token: z.string().meta({ description: "Short-lived JWT (EdDSA); send as `Authorization: Bearer`" }),
  token_expires_at: IsoDateSchema,
});

export const ValidateResponseSchema = z
  .object({
    success: z.literal(true),
    company_id: z.string(),
    company_name: z.string(),
    database_config: DatabaseConfigSchema,
    settings: SettingsSchema,
    settings_version: z.number().int(),
    update_channel: z.string(),
    installation: InstallationCredentialSchema.extend({
      secret: InstallationSecretSchema.optional().meta({
        description:
          "Sent once, when the server generated the installation's secret (first validate without installation_secret, or after proving identity with a token only): store it and send it as installation_secret on every later validate.",
      }),
    }),
    feature_flags: z.record(z.string(), z.boolean()).meta({
      description: "The company's feature flags as they apply to an installation (no role, no showroom)",
    }),
  })
  .meta({ id: "ValidateResponse" });
export type ValidateResponse = z.infer<typeof ValidateResponseSchema>;

export const HeartbeatRequestSchema = z
  .object({
    company_code: CompanyCodeSchema,
    machine_id: MachineIdSchema,
    app_version: AppVersionSchema,
    settings_version: z.number().int().min(0).optional().meta({
      description:
        "The settings version the app last applied. When sent, settings_changed compares against it, so a lost response cannot hide a change.",
    }),
  })
  .meta({ id: "HeartbeatRequest" });
export type HeartbeatRequest = z.input<typeof HeartbeatRequestSchema>;

export const HeartbeatResponseSchema = z
  .object({
    success: z.literal(true),
    force_update: z.boolean(),
    settings_changed: z.boolean(),
    latest_version: z.string().optional(),
    settings: SettingsSchema.optional().meta({ description: "Present when settings_changed is true" }),
    settings_version: z.number().int(),
    installation: InstallationCredentialSchema.optional().meta({
      description:
        "A fresh token, sent when the current one has less than a quarter of its lifetime left: use it from now on",
    }),
  })
  .meta({ id: "HeartbeatResponse" });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponseSchema>;
