// A company's installations: the desktop and mobile apps registered to it.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const InstallationSchema = z
  .object({
    id: z.string(),
    company_id: z.string(),
    machine_id: z.string(),
    hostname: z.string(),
    username: z.string().nullable(),
    ip_address: z.string().nullable(),
    app_version: z.string().nullable(),
    os_version: z.string().nullable(),
    is_active: z.boolean(),
    last_heartbeat_at: IsoDateSchema.nullable(),
    deactivated_at: IsoDateSchema.nullable(),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Installation" });

export const InstallationListQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(["active", "inactive", "all"]).default("all"),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Matches hostname, machine id or username" }),
  app_version: z
    .string()
    .trim()
    .max(50)
    .optional()
    .meta({ description: "Only installations on this version" }),
});
export const InstallationListSchema = z
  .object({
    success: z.literal(true),
    installations: z.array(InstallationSchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "InstallationList" });
export const InstallationResponseSchema = z.object({
  success: z.literal(true),
  installation: InstallationSchema,
});
