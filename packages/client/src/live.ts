// The live connection: one WebSocket to /api/live kept open for as long as the app wants it —
// reconnecting with jittered backoff, pinging so NATs keep the flow and a dead connection is
// noticed, and stopping for good when the server says reconnecting is pointless.
import {
  type ClientMessage,
  ClientMessageSchema,
  LIVE_MAX_MESSAGE_BYTES,
  LIVE_PING,
  LIVE_PONG,
  routes,
  type ServerMessage,
  ServerMessageSchema,
} from "@nexus/contracts";
import { NexusApiError } from "./errors.ts";

/**
 * Close codes after which the server will not take the connection back: 4003 (installation
 * deactivated or company suspended: validate again) and 4008 (a newer connection of the same
 * installation took over).
 */
export const LIVE_STOP_CODES: ReadonlySet<number> = new Set([4003, 4008]);
/** Sent by the client when it gives up on a connection that went silent. */
const CLOSE_SILENT = 4000;

/** The part of a WebSocket the connection uses; browsers', Node's, Electron's and workerd's fit. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "open" | "error", listener: (event: unknown) => void): void;
}

export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

/**
 * Opens one socket to `url` (ws/wss, without the token) authenticated by `token` and resolves once
 * it is open. Reject with a NexusApiError when the API refused the upgrade, so the connection can
 * tell a bad token from a network error. Give up when `signal` aborts.
 */
export type LiveConnect = (url: string, token: string, signal: AbortSignal) => Promise<WebSocketLike>;

export type LiveState = "connecting" | "open" | "reconnecting" | "stopped";

export type LiveStopReason =
  /** The server closed with a code in LIVE_STOP_CODES (4003 deactivated/suspended, 4008 replaced). */
  | { type: "closed"; code: number; reason: string }
  /**
   * The API refused the connection: a token refused twice (`error.shouldRevalidate`: validate
   * again), or a refusal a new token does not fix (e.g. COMPANY_SUSPENDED).
   */
  | { type: "refused"; error: NexusApiError }
  /** `getToken({ refresh: true })` threw after a refused token: validate again. */
  | { type: "revalidate"; error: unknown };

export interface LiveOptions {
  /** Where the API lives, e.g. `https://central.nexus.example` (becomes `wss://…/api/live`). */
  baseUrl: string;
  /**
   * Called before every (re)connect. `refresh` is true when the previous token was refused:
   * validate again instead of returning the stored token.
   */
  getToken: (request: { refresh: boolean }) => Promise<string>;
  onMessage?: (message: ServerMessage) => void;
  onStateChange?: (state: LiveState) => void;
  /** Problems the connection handles itself (retried, or the frame ignored); for logs. */
  onError?: (error: unknown) => void;
  /** The connection ended for good and will not reconnect (not called after `close()`). */
  onStop?: (reason: LiveStopReason) => void;
  /** Default: the global WebSocket, with the token in `?token=` (browsers cannot set headers). */
  WebSocket?: WebSocketConstructorLike;
  /** Opens sockets instead of `WebSocket`, e.g. through a fetch upgrade in workerd. */
  connect?: LiveConnect;
  /** Default 1 000: the first retry waits up to this long; the ceiling doubles per failure. */
  backoffMs?: number;
  /** Default 60 000: the longest wait between attempts. */
  maxBackoffMs?: number;
  /** Default 30 000: a connection open this long counts as healthy and resets the backoff. */
  stableAfterMs?: number;
  /** Default 25 000: below the idle timeouts of common NATs and proxies. */
  pingIntervalMs?: number;
  /** Default twice the ping interval plus 10 s: silence this long means the connection is dead. */
  livenessTimeoutMs?: number;
  /** Default 15 000 per attempt. */
  connectTimeoutMs?: number;
  random?: () => number;
}

export interface LiveConnection {
  readonly state: LiveState;
  /**
   * Sends if the connection is open and returns true; returns false if it is not (nothing is
   * queued). Throws TypeError for a message outside the contract, RangeError above
   * LIVE_MAX_MESSAGE_BYTES.
   */
  send(message: ClientMessage): boolean;
  /** Closes the connection and stops reconnecting. */
  close(): void;
}

/**
 * Full jitter: a random wait in [0, min(maxMs, baseMs·2^(attempt-1))). When the API restarts, every
 * installation loses its socket at once; without the randomness they would all return in step.
 */
export function liveBackoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

interface Session {
  ws: WebSocketLike;
  openedAt: number;
  ping: ReturnType<typeof setTimeout> | undefined;
  silence: ReturnType<typeof setTimeout> | undefined;
  done: boolean;
}

export function connectLive(options: LiveOptions): LiveConnection {
  const url = liveUrl(options.baseUrl);
  const connect = options.connect ?? constructorConnect(defaultWebSocket(options.WebSocket));
  const random = options.random ?? Math.random;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const stableAfterMs = options.stableAfterMs ?? 30_000;
  const pingIntervalMs = options.pingIntervalMs ?? 25_000;
  const livenessTimeoutMs = options.livenessTimeoutMs ?? pingIntervalMs * 2 + 10_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;

  let state: LiveState = "connecting";
  let stopped = false;
  /** Failed attempts since the last healthy connection; drives the backoff. */
  let failures = 0;
  /** The last token was refused; one more refusal stops the connection. */
  let refused = false;
  let session: Session | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pending: AbortController | undefined;

  // The app's callbacks must not break the connection's own bookkeeping.
  function report(error: unknown): void {
    try {
      options.onError?.(error);
    } catch {
      // Nowhere left to report it.
    }
  }

  function notify<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
    try {
      callback?.(...args);
    } catch (error) {
      report(error);
    }
  }

  function setState(next: LiveState): void {
    if (state === next) return;
    state = next;
    notify(options.onStateChange, next);
  }

  async function attempt(): Promise<void> {
    retryTimer = undefined;
    setState(failures === 0 && !refused ? "connecting" : "reconnecting");
    let token: string;
    try {
      token = await options.getToken({ refresh: refused });
    } catch (error) {
      if (stopped) return;
      if (refused) {
        stop({ type: "revalidate", error });
      } else {
        report(error);
        scheduleRetry();
      }
      return;
    }
    if (stopped) return;
    const controller = new AbortController();
    pending = controller;
    const timeout = setTimeout(
      () => controller.abort(new Error(`No live connection within ${connectTimeoutMs} ms.`)),
      connectTimeoutMs,
    );
    let ws: WebSocketLike;
    try {
      ws = await settleOrAbort(connect(url, token, controller.signal), controller.signal);
    } catch (error) {
      if (!stopped) failed(error);
      return;
    } finally {
      clearTimeout(timeout);
      pending = undefined;
    }
    if (stopped) closeQuietly(ws, 1000, "closed by the app");
    else attach(ws);
  }

  function failed(error: unknown): void {
    if (!(error instanceof NexusApiError)) {
      report(error);
      scheduleRetry();
    } else if (error.shouldRevalidate || error.status === 401) {
      if (refused) {
        stop({ type: "refused", error });
      } else {
        // Once and at once: the app revalidates in getToken and the user sees no gap.
        refused = true;
        report(error);
        void attempt();
      }
    } else if (error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
      stop({ type: "refused", error });
    } else {
      report(error);
      scheduleRetry(error.retryAfterMs);
    }
  }

  function attach(ws: WebSocketLike): void {
    const current: Session = { ws, openedAt: Date.now(), ping: undefined, silence: undefined, done: false };
    session = current;
    refused = false;
    ws.addEventListener("message", (event) => receive(current, event.data));
    ws.addEventListener("close", (event) => ended(current, event.code, event.reason));
    // A close follows an error; should none come, the liveness timeout ends the connection.
    ws.addEventListener("error", (event) => {
      if (!current.done) report(event);
    });
    setState("open");
    heardFrom(current);
    schedulePing(current);
  }

  function schedulePing(current: Session): void {
    current.ping = setTimeout(() => {
      if (current.done) return;
      try {
        current.ws.send(LIVE_PING);
      } catch (error) {
        // workerd: a socket we closed (or that failed) throws on send before any close event.
        report(error);
        ended(current, 1006, "could not send a ping");
        return;
      }
      schedulePing(current);
    }, pingIntervalMs);
  }

  /** Any frame, not only a pong, proves the connection alive. */
  function heardFrom(current: Session): void {
    clearTimeout(current.silence);
    current.silence = setTimeout(() => {
      report(new Error(`Nothing from the server for ${livenessTimeoutMs} ms; reconnecting.`));
      closeQuietly(current.ws, CLOSE_SILENT, "no answer to ping");
      ended(current, CLOSE_SILENT, "no answer to ping");
    }, livenessTimeoutMs);
  }

  function receive(current: Session, data: unknown): void {
    if (current.done) return;
    heardFrom(current);
    if (data === LIVE_PONG) return;
    const message = parseFrame(data);
    if (message instanceof Error) report(message);
    else notify(options.onMessage, message);
  }

  function ended(current: Session, code: number, reason: string): void {
    if (current.done) return;
    finish(current);
    if (stopped) return;
    if (LIVE_STOP_CODES.has(code)) {
      stop({ type: "closed", code, reason });
      return;
    }
    // Only a connection that stayed up resets the backoff: one the server accepts and drops at
    // once must not turn into a reconnect loop.
    if (Date.now() - current.openedAt >= stableAfterMs) failures = 0;
    scheduleRetry();
  }

  function finish(current: Session): void {
    current.done = true;
    clearTimeout(current.ping);
    clearTimeout(current.silence);
    if (session === current) session = undefined;
  }

  function scheduleRetry(atLeastMs = 0): void {
    failures += 1;
    const delay = Math.max(atLeastMs, liveBackoffDelay(failures, backoffMs, maxBackoffMs, random));
    setState("reconnecting");
    retryTimer = setTimeout(() => void attempt(), delay);
  }

  function stop(reason: LiveStopReason | undefined): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    pending?.abort(new Error("The live connection was closed."));
    if (session) {
      const current = session;
      finish(current);
      closeQuietly(current.ws, 1000, "closed by the app");
    }
    setState("stopped");
    if (reason) notify(options.onStop, reason);
  }

  function send(message: ClientMessage): boolean {
    const parsed = ClientMessageSchema.safeParse(message);
    if (!parsed.success) {
      throw new TypeError("The message is outside the live contract.", { cause: parsed.error });
    }
    const frame = JSON.stringify(parsed.data);
    const size = new TextEncoder().encode(frame).byteLength;
    if (size > LIVE_MAX_MESSAGE_BYTES) {
      throw new RangeError(
        `The message is ${size} bytes; the server takes at most ${LIVE_MAX_MESSAGE_BYTES}.`,
      );
    }
    if (!session) return false;
    try {
      session.ws.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  void attempt();
  return {
    get state() {
      return state;
    },
    send,
    close: () => stop(undefined),
  };
}

/** A server message, or why the frame was ignored (a type newer than this client lands here too). */
function parseFrame(data: unknown): ServerMessage | TypeError {
  if (typeof data !== "string") return new TypeError("Ignored a binary frame on the live socket.");
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    return new TypeError("Ignored a live frame that is not JSON.", { cause });
  }
  const parsed = ServerMessageSchema.safeParse(json);
  return parsed.success
    ? parsed.data
    : new TypeError(`Ignored a live message outside the contract: ${data.slice(0, 200)}`, {
        cause: parsed.error,
      });
}

/** `wss://host/prefix/api/live` for `https://host/prefix`. */
function liveUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, got "${baseUrl}"`);
  }
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${routes.liveSocket.path}`;
  url.search = "";
  return url.href;
}

function defaultWebSocket(given: WebSocketConstructorLike | undefined): WebSocketConstructorLike {
  const found = given ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!found) throw new TypeError("No WebSocket here: pass `WebSocket` or `connect` to connectLive.");
  return found;
}

/**
 * Browsers cannot set headers on a WebSocket, so the token goes in `?token=`. Nor do they say why an
 * upgrade failed: a refused token looks like a network error and is retried with backoff, each
 * retry asking getToken again.
 */
function constructorConnect(WebSocketImpl: WebSocketConstructorLike): LiveConnect {
  return (url, token, signal) =>
    new Promise<WebSocketLike>((resolve, reject) => {
      const target = new URL(url);
      target.searchParams.set("token", token);
      const ws = new WebSocketImpl(target.href);
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        if (error === undefined) return resolve(ws);
        closeQuietly(ws, 1000, "connection attempt abandoned");
        reject(error);
      };
      const onAbort = () => settle(signal.reason);
      ws.addEventListener("open", () => settle());
      ws.addEventListener("error", () => settle(new Error("The WebSocket could not be opened.")));
      ws.addEventListener("close", (event) =>
        settle(new Error(`The WebSocket closed before it opened (code ${event.code}).`)),
      );
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
}

function closeQuietly(ws: WebSocketLike, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing or closed.
  }
}

/** Races the connector against the signal, so one that ignores it cannot hang the connection. */
function settleOrAbort(promise: Promise<WebSocketLike>, signal: AbortSignal): Promise<WebSocketLike> {
  return new Promise<WebSocketLike>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise
      .then((ws) => {
        // Too late: the attempt was given up, so this socket would be nobody's.
        if (signal.aborted) closeQuietly(ws, 1000, "connection attempt abandoned");
        resolve(ws);
      }, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}
