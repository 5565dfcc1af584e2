// One live channel per company page, shared by everything on it (the overview's presence, the inbox
// bell, a project's chat): the company's dashboard sockets are capped, so a tab holds one, not one
// per widget.
import type { ServerMessage } from "@nexus/contracts";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef } from "react";
import { type LiveChannel, useLiveChannel } from "./live.ts";

type Listener = (message: ServerMessage) => void;

interface CompanyLive extends LiveChannel {
  subscribe: (listener: Listener) => () => void;
}

const CompanyLiveContext = createContext<CompanyLive | null>(null);

export function CompanyLiveProvider({ companyId, children }: { companyId: string; children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const dispatch = useCallback((message: ServerMessage) => {
    for (const listener of listeners.current) listener(message);
  }, []);
  const channel = useLiveChannel(companyId, dispatch);
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const { state, refusal, send } = channel;
  const value = useMemo(() => ({ state, refusal, send, subscribe }), [state, refusal, send, subscribe]);
  return <CompanyLiveContext.Provider value={value}>{children}</CompanyLiveContext.Provider>;
}

/**
 * The company page's live channel; `onMessage` (optional) sees every server message while the
 * caller is mounted. Outside a company page there is no channel: state "stopped", nothing sent.
 */
export function useCompanyLive(onMessage?: Listener): LiveChannel {
  const live = useContext(CompanyLiveContext);
  // The latest handler, without subscribing again whenever the caller re-renders.
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const subscribe = live?.subscribe;
  useEffect(() => subscribe?.((message) => handler.current?.(message)), [subscribe]);
  return live ?? STOPPED;
}

const STOPPED: LiveChannel = { state: "stopped", refusal: null, send: () => false };
