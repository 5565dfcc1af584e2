// The pool of tenant databases handed to companies as they register.
import { z } from "zod";

export const TenantPoolStatusSchema = z
  .object({
    success: z.literal(true),
    bindings: z.number().int().meta({ description: "TENANT_DB_* bindings this deployment has" }),
    free: z.number().int(),
    reserved: z.number().int(),
    assigned: z.number().int(),
    databases: z.array(
      z.object({
        binding_name: z.string(),
        database_id: z.string().nullable(),
        status: z.enum(["free", "reserved", "assigned"]),
        company_id: z.string().nullable(),
        schema_version: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "TenantPoolStatus" });
