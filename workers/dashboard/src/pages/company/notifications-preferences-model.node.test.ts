import type { NotificationPreference } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { categoryLabel, isEnabled, timeZoneChoices, withCell } from "./notifications-preferences-model.ts";

describe("the preferences grid", () => {
  it("is on without settings, and the most specific setting wins", () => {
    expect(isEnabled([], "projects", "email")).toBe(true);
    const settings: NotificationPreference[] = [
      { category: "*", channel: "*", enabled: false },
      { category: "*", channel: "in_app", enabled: true },
      { category: "projects", channel: "*", enabled: true },
      { category: "projects", channel: "sms", enabled: false },
    ];
    expect(isEnabled(settings, "billing", "email")).toBe(false);
    expect(isEnabled(settings, "billing", "in_app")).toBe(true);
    expect(isEnabled(settings, "projects", "email")).toBe(true);
    expect(isEnabled(settings, "projects", "sms")).toBe(false);
  });

  it("stores a cell only where it differs from the broader settings", () => {
    const off = withCell([], "projects", "email", false);
    expect(off).toEqual([{ category: "projects", channel: "email", enabled: false }]);
    expect(withCell(off, "projects", "email", true)).toEqual([]);
    // Under "everything off", switching one cell on needs its own setting; the broad one stays.
    const broad: NotificationPreference[] = [{ category: "*", channel: "*", enabled: false }];
    expect(withCell(broad, "chat", "push", true)).toEqual([
      ...broad,
      { category: "chat", channel: "push", enabled: true },
    ]);
    expect(withCell(broad, "chat", "push", false)).toEqual(broad);
  });

  it("offers the browser's time zones with UTC first, keeping the stored one", () => {
    const zones = timeZoneChoices("Mars/Olympus_Mons");
    expect(zones[0]).toBe("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect(zones).toContain("Mars/Olympus_Mons");
    expect(new Set(zones).size).toBe(zones.length);
  });

  it("names categories in words", () => {
    expect(categoryLabel("projects")).toBe("Projects");
    expect(categoryLabel("team_chat")).toBe("Team chat");
  });
});
