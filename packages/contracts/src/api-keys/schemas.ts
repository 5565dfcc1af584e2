// Company API keys (`nxk_…`) for automation.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

const PermissionMapSchema = z
  .record(z.string(), z.array(z.string()).min(1))
  .meta({ description: 'Resource → actions, e.g. {"installations": ["read"]} (see the roles table)' });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The key's first characters" }),
    permissions: PermissionMapSchema,
    created_by: z.string().nullable(),
    last_used_at: IsoDateSchema.nullable(),
    revoked_at: IsoDateSchema.nullable(),
    expires_at: IsoDateSchema.nullable().meta({
      description: "After this the key is refused; null: until revoked",
    }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "ApiKey" });
export const CreateApiKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    permissions: PermissionMapSchema,
    expires_in_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .nullable()
      .default(null)
      .meta({ description: "Days until the key stops working; null (the default): until revoked" }),
  })
  .meta({ id: "CreateApiKeyRequest" });
export const CreatedApiKeySchema = z.object({
  success: z.literal(true),
  api_key: ApiKeySchema,
  key: z.string().meta({ description: "Shown this once; send as `Authorization: Bearer <key>`" }),
});
export const ApiKeyResponseSchema = z.object({ success: z.literal(true), api_key: ApiKeySchema });
export const ApiKeyListSchema = z.object({ success: z.literal(true), api_keys: z.array(ApiKeySchema) });
