import { expect, it } from "vitest";
import { brandOf } from "./branding.ts";
import { countBy, HEARTBEAT_ONLINE_WINDOW_MS, installationStatus } from "./installation-status.ts";

const now = Date.parse("2026-11-21T12:00:00.000Z");
const ago = (ms: number) => new Date(now - ms).toISOString();
const seatHolder = (lastHeartbeat: string | null) => ({ is_active: true, last_heartbeat_at: lastHeartbeat });

it("counts a recent heartbeat as online and an old or missing one as offline", () => {
  expect(installationStatus(seatHolder(ago(60_000)), undefined, now)).toBe("online");
  expect(installationStatus(seatHolder(ago(HEARTBEAT_ONLINE_WINDOW_MS + 1)), undefined, now)).toBe("offline");
  expect(installationStatus(seatHolder(null), undefined, now)).toBe("offline");
});

it("lets live presence override the heartbeat", () => {
  expect(installationStatus(seatHolder(null), "online", now)).toBe("online");
  expect(installationStatus(seatHolder(ago(1000)), "offline", now)).toBe("offline");
  expect(installationStatus(seatHolder(ago(1000)), "dead", now)).toBe("inactive");
});

it("shows installations without a seat as inactive unless they are connected", () => {
  const deactivated = { is_active: false, last_heartbeat_at: ago(1000) };
  expect(installationStatus(deactivated, undefined, now)).toBe("inactive");
  expect(installationStatus(deactivated, "offline", now)).toBe("inactive");
});

it("counts by label, most common first", () => {
  expect(countBy(["b", "a", "b", "c"], (value) => value)).toEqual([
    { label: "b", count: 2 },
    { label: "a", count: 1 },
    { label: "c", count: 1 },
  ]);
});

it("takes a hex primary color with readable text, and ignores anything else", () => {
  expect(brandOf({ primary_color: "#0f766e" })).toEqual({ color: "#0f766e", contrast: "#ffffff" });
  expect(brandOf({ primary_color: "#fde047" })).toEqual({ color: "#fde047", contrast: "#000000" });
  expect(brandOf({ primary_color: "#fff" })?.contrast).toBe("#000000");
  expect(brandOf({ primary_color: "red; background: url(https://evil.example)" })).toBeNull();
  expect(brandOf({ primary_color: 42 })).toBeNull();
  expect(brandOf({})).toBeNull();
});
