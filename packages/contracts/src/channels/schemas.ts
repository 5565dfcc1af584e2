// Update channels (stable, beta, a company's own...).
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

/**
 * Channel names are one word: `{channel}-mac.yml` / `{channel}-linux-arm64.yml` would be ambiguous
 * with hyphens. `latest` is electron-updater's name for `stable` and is not a channel of its own.
 */
export const ChannelNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, "a lower-case word: letters, digits and underscores, starting with a letter")
  .refine((name) => name !== "latest", "`latest` is the stable channel's file name, not a channel")
  .meta({ example: "beta" });

export const ChannelSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    parent: z.string().nullable().meta({ description: "Subscribers also receive this channel's releases" }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Channel" });
export type Channel = z.infer<typeof ChannelSchema>;

export const ChannelListSchema = z.object({ success: z.literal(true), channels: z.array(ChannelSchema) });
export const CreateChannelRequestSchema = z
  .object({
    name: ChannelNameSchema,
    description: z.string().trim().max(500).optional(),
    parent: ChannelNameSchema.nullable().default("stable"),
  })
  .meta({ id: "CreateChannelRequest" });
export const ChannelResponseSchema = z.object({ success: z.literal(true), channel: ChannelSchema });
