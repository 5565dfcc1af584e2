import { routes } from "@nexus/contracts";
import { callApi, type ResponseOf } from "./api.ts";
import { type AsyncState, useAsync } from "./use-async.ts";

const loadChannels = (signal: AbortSignal) => callApi(routes.listChannels, { signal });

/** The update channels (operators' routes), loaded when the screen shows. */
export function useChannels(): AsyncState<ResponseOf<typeof routes.listChannels>> {
  return useAsync(loadChannels);
}
