import { describe, expect, it } from "vitest";
import { expectError, issuePaths, json } from "../../../test/helpers.ts";
import { callAs, notificationsPath, notifyCompany } from "./fixtures.ts";

const put = (cookie: string, companyId: string, body: unknown) =>
  callAs(cookie, `${notificationsPath(companyId)}/preferences`, { method: "PUT", body });

describe("PUT …/notifications/preferences", () => {
  it("stores the time zone, quiet hours and the preference set (replaced when given), for the caller only", async () => {
    const s = await notifyCompany("prefs-put");
    const first = await put(s.member, s.companyId, {
      time_zone: "Europe/Berlin",
      quiet_start: "22:00",
      quiet_end: "07:00",
      preferences: [
        { category: "*", channel: "sms", enabled: false },
        { category: "projects", channel: "email", enabled: false },
      ],
    });
    expect(first.status, await first.clone().text()).toBe(200);
    const stored = await json<{
      time_zone: string;
      quiet_start: string;
      quiet_end: string;
      preferences: unknown[];
    }>(first);
    expect(stored).toMatchObject({ time_zone: "Europe/Berlin", quiet_start: "22:00", quiet_end: "07:00" });
    expect(stored.preferences).toEqual([
      { category: "*", channel: "sms", enabled: false },
      { category: "projects", channel: "email", enabled: false },
    ]);

    // Preferences only: the settings stay, the set is replaced.
    const second = await json<{ time_zone: string; preferences: unknown[] }>(
      await put(s.member, s.companyId, {
        preferences: [{ category: "projects", channel: "*", enabled: false }],
      }),
    );
    expect(second.time_zone).toBe("Europe/Berlin");
    expect(second.preferences).toEqual([{ category: "projects", channel: "*", enabled: false }]);

    // Quiet hours off.
    const off = await json<{ quiet_start: null }>(
      await put(s.member, s.companyId, { quiet_start: null, quiet_end: null }),
    );
    expect(off.quiet_start).toBeNull();

    // The owner's own preferences are untouched.
    const owner = await json<{ preferences: unknown[]; time_zone: string }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`),
    );
    expect(owner).toMatchObject({ preferences: [], time_zone: "UTC" });
  });

  it("refuses a time zone Intl does not know, times that are not HH:MM, half a window and repeated pairs", async () => {
    const s = await notifyCompany("prefs-put-bad");
    const cases: [unknown, string][] = [
      [{ time_zone: "Mars/Olympus" }, "time_zone"],
      [{ time_zone: "+02:00" }, "time_zone"],
      [{ quiet_start: "24:00", quiet_end: "07:00" }, "quiet_start"],
      [{ quiet_start: "7:00", quiet_end: "08:00" }, "quiet_start"],
      [{ quiet_start: "22:00" }, "quiet_end"],
      [{ quiet_start: "22:00", quiet_end: "22:00" }, "quiet_end"],
      [
        {
          preferences: [
            { category: "projects", channel: "email", enabled: false },
            { category: "projects", channel: "email", enabled: true },
          ],
        },
        "preferences",
      ],
      [{ preferences: [{ category: "projects", channel: "fax", enabled: false }] }, "preferences.0.channel"],
    ];
    for (const [body, path] of cases) {
      const error = await expectError(await put(s.member, s.companyId, body), 400, "VALIDATION_FAILED");
      expect(issuePaths(error), JSON.stringify(body)).toContain(path);
    }
  });
});
