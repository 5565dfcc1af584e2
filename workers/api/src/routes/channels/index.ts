// Update channels (a subscriber of a channel also receives its parent's releases), mounted by
// app.ts through ../index.ts.
import type { Operation } from "../../lib/operation.ts";
import { createChannel } from "./create-channel.ts";
import { listChannels } from "./list-channels.ts";

export const channelsOperations: Operation[] = [listChannels, createChannel];
