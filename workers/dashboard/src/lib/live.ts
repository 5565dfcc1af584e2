// The company's live channel (`/api/live`), kept open by the client package's connectLive:
// reconnects with backoff, pings, and notices a dead connection, as the desktop app's does.

// By subpath, as in api.ts: @nexus/client's root does not type-check against the DOM library.
import { connectLive, type LiveConnection, type LiveOptions, type LiveState } from "@nexus/client/live";
import {
  type ClientMessage,
  LIVE_CLOSE_DASHBOARD_LIMIT,
  LIVE_DASHBOARD_LIMIT_MESSAGE,
  type ServerMessage,
} from "@nexus/contracts";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * connectLive authenticates as an installation (`?token=`). A dashboard instead sends its session
 * cookie, which the browser attaches to a same-origin WebSocket by itself, and names the company
 * with `?company_id=`: this WebSocket swaps the one for the other.
 */
function dashboardWebSocket(
  companyId: string,
  onLimit: (reason: string) => void,
): NonNullable<LiveOptions["WebSocket"]> {
  return class DashboardWebSocket extends WebSocket {
    constructor(url: string) {
      const target = new URL(url);
      target.searchParams.delete("token");
      target.searchParams.set("company_id", companyId);
      super(target);
      // The company's dashboard sockets are capped: the one over the cap is accepted and closed at
      // once with this code (a browser cannot read a refused upgrade). connectLive keeps retrying
      // with backoff, so the channel comes back by itself once another tab closes.
      this.addEventListener("close", (event) => {
        if (event.code === LIVE_CLOSE_DASHBOARD_LIMIT) onLimit(event.reason || LIVE_DASHBOARD_LIMIT_MESSAGE);
      });
    }
  };
}

export interface LiveChannel {
  state: LiveState;
  /** Why the server turned the channel away (the company's dashboard connection limit), if it did. */
  refusal: string | null;
  /** Sends a frame if the channel is open; false when it is not (nothing is queued). */
  send: (message: ClientMessage) => boolean;
}

/** Opens the company's channel while mounted; `onMessage` sees every server message. */
export function useLiveChannel(companyId: string, onMessage: (message: ServerMessage) => void): LiveChannel {
  const [state, setState] = useState<LiveState>("connecting");
  const [refusal, setRefusal] = useState<string | null>(null);
  // The latest handler, without reconnecting whenever the caller re-renders.
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const connection = useRef<LiveConnection | null>(null);

  useEffect(() => {
    setRefusal(null);
    const opened = connectLive({
      baseUrl: window.location.origin,
      // The cookie authenticates; connectLive still asks for a token before every attempt.
      getToken: async () => "",
      WebSocket: dashboardWebSocket(companyId, setRefusal),
      onMessage: (message) => {
        // Only an accepted connection is welcomed: the limit no longer applies to this tab.
        if (message.type === "welcome") setRefusal(null);
        handler.current(message);
      },
      onStateChange: setState,
    });
    connection.current = opened;
    return () => {
      connection.current = null;
      opened.close();
    };
  }, [companyId]);

  const send = useCallback((message: ClientMessage) => connection.current?.send(message) ?? false, []);
  return { state, refusal, send };
}
