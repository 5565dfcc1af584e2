// Feature flags by role and showroom type (CRM, seed 001).
import { z } from "zod";
import { KeySchema } from "../shared/fields.ts";
import { ShowroomTypeSchema } from "../showrooms/schemas.ts";

export const FeatureFlagSchema = z
  .object({
    key: KeySchema,
    description: z.string().max(300).default(""),
    enabled: z.boolean().meta({ description: "The answer when no rule matches" }),
    rules: z
      .array(
        z.object({
          roles: z
            .array(z.string().min(1).max(64))
            .optional()
            .meta({ description: "Any of these roles (absent: any)" }),
          showroom_types: z
            .array(ShowroomTypeSchema)
            .optional()
            .meta({ description: "Any of these types (absent: any)" }),
          enabled: z.boolean(),
        }),
      )
      .max(20)
      .default([])
      .meta({ description: "The first rule matching the caller's role and showroom types decides" }),
  })
  .meta({ id: "FeatureFlag" });
export type FeatureFlag = z.infer<typeof FeatureFlagSchema>;

export const PutFeatureFlagsRequestSchema = z
  .object({
    flags: z
      .array(FeatureFlagSchema)
      .max(100)
      .refine((flags) => new Set(flags.map((f) => f.key)).size === flags.length, "flag keys must be unique"),
  })
  .meta({ id: "PutFeatureFlagsRequest" });
export const FeatureFlagListSchema = z.object({
  success: z.literal(true),
  flags: z.array(FeatureFlagSchema),
});
export const EvaluatedFlagsSchema = z
  .record(z.string(), z.boolean())
  .meta({ description: "Feature flags evaluated for the caller: key -> on/off" });
export const MyFeatureFlagsSchema = z.object({ success: z.literal(true), flags: EvaluatedFlagsSchema });

/** The first matching rule decides; no match falls back to the flag's default. */
export function evaluateFlags(
  flags: FeatureFlag[],
  caller: { roles: string[]; showroomTypes: string[] },
): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (const flag of flags) {
    const rule = flag.rules.find(
      (candidate) =>
        (!candidate.roles || candidate.roles.some((role) => caller.roles.includes(role))) &&
        (!candidate.showroom_types ||
          candidate.showroom_types.some((type) => caller.showroomTypes.includes(type))),
    );
    result[flag.key] = rule ? rule.enabled : flag.enabled;
  }
  return result;
}
