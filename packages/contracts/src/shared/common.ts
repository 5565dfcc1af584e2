import { z } from "zod";
import { LogoUrlSchema } from "./logo.ts";

/** Company codes are stored upper-case and matched case-insensitively. */
export const CompanyCodeSchema = z
  .string()
  .trim()
  .min(3)
  .max(10)
  .regex(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, "letters and digits, optionally separated by single hyphens")
  .toUpperCase()
  .meta({ example: "ACM-7K2QX9" });

export const MachineIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .meta({ description: "Hardware fingerprint" });
export const AppVersionSchema = z
  .string()
  .trim()
  .max(50)
  .regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/, "a semantic version such as 1.4.2")
  .meta({ example: "1.4.2" });

export const IsoDateSchema = z.iso.datetime().meta({ example: "2026-11-21T12:00:00.000Z" });
/**
 * Free-form JSON the company's apps read, as stored and answered. Not checked on the way out: a
 * value saved before a key was known must not make a company unreadable.
 */
export const SettingsSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "Company settings (`logo_url` and `primary_color` are its branding)" });
/**
 * Settings as written: free-form too, but the keys the platform knows are checked (null deletes a
 * key in a merge, so it is allowed).
 */
export const SettingsInputSchema = z
  .looseObject({ logo_url: LogoUrlSchema.nullish() })
  .meta({ description: "Company settings" });

export const SubscriptionTierSchema = z.enum(["standard", "professional", "enterprise"]);
export type SubscriptionTier = z.infer<typeof SubscriptionTierSchema>;

/** Default limits per tier (plans as config); operators can change a company's limits. */
export const tierLimits: Record<SubscriptionTier, { maxInstallations: number; maxUsers: number }> = {
  standard: { maxInstallations: 5, maxUsers: 10 },
  professional: { maxInstallations: 50, maxUsers: 100 },
  enterprise: { maxInstallations: 1000, maxUsers: 2000 },
};

export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
