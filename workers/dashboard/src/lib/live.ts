// The company's live channel (`/api/live`), kept open by the client package's connectLive:
// reconnects with backoff, pings, and notices a dead connection, as the desktop app's does.
import type { ServerMessage } from "@nexus/contracts";
import { useEffect, useRef, useState } from "react";
// By file, as in api.ts: @nexus/client's root does not type-check against the DOM library.
import { connectLive, type LiveOptions, type LiveState } from "../../../../packages/client/src/live.ts";

/**
 * connectLive authenticates as an installation (`?token=`). A dashboard instead sends its session
 * cookie, which the browser attaches to a same-origin WebSocket by itself, and names the company
 * with `?company_id=`: this WebSocket swaps the one for the other.
 */
function dashboardWebSocket(companyId: string): NonNullable<LiveOptions["WebSocket"]> {
  return class DashboardWebSocket extends WebSocket {
    constructor(url: string) {
      const target = new URL(url);
      target.searchParams.delete("token");
      target.searchParams.set("company_id", companyId);
      super(target);
    }
  };
}

/** Opens the company's channel while mounted; `onMessage` sees every server message. */
export function useLiveChannel(companyId: string, onMessage: (message: ServerMessage) => void): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  // The latest handler, without reconnecting whenever the caller re-renders.
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    const connection = connectLive({
      baseUrl: window.location.origin,
      // The cookie authenticates; connectLive still asks for a token before every attempt.
      getToken: async () => "",
      WebSocket: dashboardWebSocket(companyId),
      onMessage: (message) => handler.current(message),
      onStateChange: setState,
    });
    return () => connection.close();
  }, [companyId]);

  return state;
}
