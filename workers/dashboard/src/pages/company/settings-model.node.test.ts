import { describe, expect, it } from "vitest";
import {
  draftFrom,
  hasErrors,
  pushedText,
  rowFor,
  type SettingsDraft,
  settingsFromDraft,
  settingsPatch,
  validateDraft,
} from "./settings-model.ts";

const PNG = `data:image/png;base64,${btoa("\x89PNG\r\n\x1a\n....")}`;

describe("the settings draft", () => {
  const settings = {
    primary_color: "#0F766E",
    logo_url: PNG,
    shift: "night",
    max_machines: 12,
    kiosk: true,
    units: { length: "mm" },
  };

  it("splits branding from the other settings, each with the control its value needs", () => {
    const draft = draftFrom(settings);
    expect(draft.primaryColor).toBe("#0F766E");
    expect(draft.logoUrl).toBe(PNG);
    expect(draft.rows.map(({ key, kind }) => [key, kind])).toEqual([
      ["shift", "text"],
      ["max_machines", "number"],
      ["kiosk", "boolean"],
      ["units", "json"],
    ]);
  });

  it("gives back the same settings when nothing was edited, so there is nothing to save", () => {
    const draft = draftFrom(settings);
    expect(hasErrors(validateDraft(draft))).toBe(false);
    expect(settingsFromDraft(draft)).toEqual(settings);
    expect(settingsPatch(settings, settingsFromDraft(draft))).toBeNull();
  });

  it("sends only what changed: new and changed keys, and null for removed ones", () => {
    const draft = draftFrom(settings);
    const edited: SettingsDraft = {
      primaryColor: "#7c3aed",
      logoUrl: "",
      rows: [
        ...draft.rows
          .filter((row) => row.key !== "kiosk")
          .map((row) => (row.key === "max_machines" ? { ...row, text: "20" } : row)),
        { ...rowFor("locale", ""), text: "de-DE" },
      ],
    };
    expect(settingsPatch(settings, settingsFromDraft(edited))).toEqual({
      primary_color: "#7c3aed",
      logo_url: null,
      max_machines: 20,
      kiosk: null,
      locale: "de-DE",
    });
  });

  it("refuses what the API or the apps could not use, by field", () => {
    const rows = [
      { ...rowFor("count", 1), text: "many" },
      { ...rowFor("units", {}), text: "{mm}" },
      { ...rowFor("", "x") },
      { ...rowFor("shift", "a") },
      { ...rowFor("shift", "b") },
      { ...rowFor("logo_url", "x") },
    ];
    const errors = validateDraft({ primaryColor: "blue", logoUrl: "http://example.com/logo.png", rows });
    expect(errors.primaryColor).toMatch(/hex color/);
    expect(errors.logoUrl).toBe("The logo must use https.");
    expect(rows.map((row) => errors.rows[row.uid])).toEqual([
      { value: expect.stringMatching(/number/) },
      { value: expect.stringMatching(/JSON/) },
      { key: "Enter a name." },
      undefined,
      { key: "Another setting has this name." },
      { key: "Set this under Branding." },
    ]);
    expect(hasErrors(validateDraft({ primaryColor: "", logoUrl: "", rows: [] }))).toBe(false);
  });
});

describe("pushedText", () => {
  it("says how many connected installations got the settings, and when the others will", () => {
    expect(pushedText(1)).toBe(
      "Pushed to 1 connected installation; the others receive them at their next heartbeat.",
    );
    expect(pushedText(3)).toContain("Pushed to 3 connected installations;");
    expect(pushedText(0)).toContain("No installation is connected right now");
    expect(pushedText(null)).toBe("Installations receive the new settings at their next heartbeat.");
  });
});
