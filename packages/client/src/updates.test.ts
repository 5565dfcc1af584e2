import { describe, expect, it } from "vitest";
import { updateFeedOptions } from "./updates.ts";

describe("updateFeedOptions", () => {
  it("maps stable to electron-updater's latest and refuses incomplete input", () => {
    const base = { baseUrl: "https://central.example/prefix", companyCode: "ACME", token: "t" };
    expect(updateFeedOptions(base)).toMatchObject({
      channel: "latest",
      url: "https://central.example/prefix/api/updates?company_code=ACME",
    });
    expect(updateFeedOptions({ ...base, channel: "stable" }).channel).toBe("latest");
    expect(() => updateFeedOptions({ ...base, baseUrl: "central.example" })).toThrow(TypeError);
    expect(() => updateFeedOptions({ ...base, token: " " })).toThrow(TypeError);
  });
});
