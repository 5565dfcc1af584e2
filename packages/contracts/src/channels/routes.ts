import { adminErrors, bodyErrors, define } from "../shared/route-contract.ts";
import { ChannelListSchema, ChannelResponseSchema, CreateChannelRequestSchema } from "./schemas.ts";

export const channelRoutes = {
  listChannels: define({
    method: "get",
    path: "/api/admin/channels",
    summary: "Update channels",
    tag: "updates",
    auth: "operator",
    status: 200,
    response: ChannelListSchema,
    errors: [...adminErrors],
  }),
  createChannel: define({
    method: "post",
    path: "/api/admin/channels",
    summary: "Add an update channel (its subscribers also receive its parent's releases)",
    tag: "updates",
    auth: "operator",
    body: CreateChannelRequestSchema,
    status: 201,
    response: ChannelResponseSchema,
    errors: [...adminErrors, ...bodyErrors, "CHANNEL_EXISTS", "CHANNEL_NOT_FOUND"],
  }),
} as const;
