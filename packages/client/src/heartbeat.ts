// Periodic heartbeats: tell the API the installation is alive, pick up settings changes and forced
// updates, and get a new token when the old one is refused.
import type { HeartbeatRequest, HeartbeatResponse } from "@nexus/contracts";
// The subpath, not the root: the root's schemas would bring zod into every app that beats.
import { HEARTBEAT_INTERVAL_SECONDS } from "@nexus/contracts/online";
import type { NexusClient } from "./client.ts";
import { NexusApiError } from "./errors.ts";

type Settings = NonNullable<HeartbeatResponse["settings"]>;

export interface HeartbeatOptions {
  client: Pick<NexusClient, "heartbeat">;
  /** Who is beating; `settings_version` is added from `settingsVersion()`. */
  request: Omit<HeartbeatRequest, "settings_version">;
  /** The installation token to start with. */
  token: string;
  /** The settings version the app has applied (undefined before it applied any). */
  settingsVersion: () => number | undefined;
  /** New settings; awaited before the next beat, so `settingsVersion()` can already report them. */
  onSettings: (settings: Settings, version: number) => void | Promise<void>;
  /** The API says this app version must update; `latestVersion` when it knows one. */
  onForceUpdate?: (latestVersion: string | undefined) => void;
  /** The API sent a fresh token (the current one was aging out): store it; later beats use it. */
  onToken?: (credential: NonNullable<HeartbeatResponse["installation"]>) => void | Promise<void>;
  /** Called when the API refuses the token (`shouldRevalidate`): validate again, return the new token. */
  revalidate: () => Promise<string>;
  /** Failed beats (network errors included) and handler errors; the next beat comes as planned. */
  onError?: (error: unknown) => void;
  /** Default 300 000 (5 minutes). */
  intervalMs?: number;
  /** Each wait is `intervalMs` ± this fraction, at random. Default 0.1. */
  jitter?: number;
  /** Beat at once instead of after the first interval. Default true. */
  immediate?: boolean;
  random?: () => number;
}

export interface Heartbeats {
  readonly stopped: boolean;
  /** Cancels the pending beat, aborts one in flight, and schedules no more. */
  stop(): void;
}

/** `intervalMs` scaled by a random factor in [1 - jitter, 1 + jitter]. */
export function heartbeatDelay(
  intervalMs: number,
  jitter: number,
  random: () => number = Math.random,
): number {
  return Math.max(0, intervalMs * (1 + (random() * 2 - 1) * jitter));
}

export function startHeartbeats(options: HeartbeatOptions): Heartbeats {
  // The interval the API's definition of online (@nexus/contracts) counts on.
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_SECONDS * 1000;
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const controller = new AbortController();
  let token = options.token;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // An error handler that throws must not end the heartbeats.
    }
  };

  const call = () =>
    options.client.heartbeat({ ...options.request, settings_version: options.settingsVersion() }, token, {
      signal: controller.signal,
    });

  async function beat(): Promise<void> {
    let response: HeartbeatResponse;
    try {
      try {
        response = await call();
      } catch (error) {
        if (!(error instanceof NexusApiError && error.shouldRevalidate) || controller.signal.aborted)
          throw error;
        token = await options.revalidate();
        if (controller.signal.aborted) return;
        response = await call();
      }
    } catch (error) {
      if (!controller.signal.aborted) report(error);
      return;
    }
    try {
      if (response.installation) {
        token = response.installation.token;
        await options.onToken?.(response.installation);
      }
      if (response.settings_changed && response.settings) {
        await options.onSettings(response.settings, response.settings_version);
      }
      if (response.force_update) options.onForceUpdate?.(response.latest_version);
    } catch (error) {
      report(error);
    }
  }

  function schedule(delay: number) {
    if (controller.signal.aborted) return;
    timer = setTimeout(async () => {
      await beat();
      schedule(heartbeatDelay(intervalMs, jitter, random));
    }, delay);
  }

  schedule(options.immediate === false ? heartbeatDelay(intervalMs, jitter, random) : 0);

  return {
    get stopped() {
      return controller.signal.aborted;
    },
    stop() {
      clearTimeout(timer);
      controller.abort(new DOMException("Heartbeats stopped", "AbortError"));
    },
  };
}
