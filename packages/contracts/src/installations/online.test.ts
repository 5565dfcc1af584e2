import { expect, it } from "vitest";
import {
  HEARTBEAT_INTERVAL_SECONDS,
  HEARTBEAT_ONLINE_WINDOW_MS,
  heartbeatIsRecent,
  installationStatus,
  latestHeartbeat,
} from "./online.ts";

const now = Date.parse("2026-11-21T12:00:00.000Z");
const ago = (ms: number) => new Date(now - ms).toISOString();
const seatHolder = (lastHeartbeat: string | null) => ({ is_active: true, last_heartbeat_at: lastHeartbeat });

it("is online only with a heartbeat within the window", () => {
  expect(HEARTBEAT_ONLINE_WINDOW_MS).toBeGreaterThan(2 * HEARTBEAT_INTERVAL_SECONDS * 1000);
  expect(heartbeatIsRecent(now - 60_000, now)).toBe(true);
  expect(heartbeatIsRecent(now - HEARTBEAT_ONLINE_WINDOW_MS, now)).toBe(true);
  expect(heartbeatIsRecent(now - HEARTBEAT_ONLINE_WINDOW_MS - 1, now)).toBe(false);
  expect(heartbeatIsRecent(null, now)).toBe(false);
  expect(installationStatus(seatHolder(ago(60_000)), undefined, now)).toBe("online");
  expect(installationStatus(seatHolder(ago(HEARTBEAT_ONLINE_WINDOW_MS + 1)), undefined, now)).toBe("offline");
  expect(installationStatus(seatHolder(null), undefined, now)).toBe("offline");
});

it("never counts an installation that never sent a heartbeat as online, even with its socket open", () => {
  const connected = { status: "online" as const, at: ago(1000), last_heartbeat_at: null };
  expect(installationStatus(seatHolder(null), connected, now)).toBe("offline");
  expect(installationStatus(seatHolder(null), { status: "online", at: ago(1000) }, now)).toBe("offline");
});

it("takes the live channel's heartbeat when it is newer than the list's", () => {
  const beat = { status: "online" as const, at: ago(1000), last_heartbeat_at: ago(1000) };
  expect(latestHeartbeat(seatHolder(null), beat)).toBe(ago(1000));
  expect(latestHeartbeat(seatHolder(ago(500)), beat)).toBe(ago(500));
  expect(latestHeartbeat(seatHolder(ago(500)), undefined)).toBe(ago(500));
  expect(installationStatus(seatHolder(null), beat, now)).toBe("online");
  expect(installationStatus(seatHolder(ago(HEARTBEAT_ONLINE_WINDOW_MS * 2)), beat, now)).toBe("online");
});

it("is offline once the socket closed after the last heartbeat, and online again on a later one", () => {
  expect(installationStatus(seatHolder(ago(5000)), { status: "offline", at: ago(1000) }, now)).toBe(
    "offline",
  );
  expect(installationStatus(seatHolder(ago(1000)), { status: "offline", at: ago(5000) }, now)).toBe("online");
});

it("shows installations without a seat as inactive unless the hub revived them", () => {
  const deactivated = { is_active: false, last_heartbeat_at: ago(1000) };
  expect(installationStatus(deactivated, undefined, now)).toBe("inactive");
  expect(installationStatus(deactivated, { status: "offline", at: ago(500) }, now)).toBe("inactive");
  expect(installationStatus(seatHolder(ago(1000)), { status: "dead", at: ago(500) }, now)).toBe("inactive");
  const revived = { status: "online" as const, at: ago(500), last_heartbeat_at: ago(500) };
  expect(installationStatus(deactivated, revived, now)).toBe("online");
});
