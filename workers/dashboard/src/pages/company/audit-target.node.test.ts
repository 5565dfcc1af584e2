import { describe, expect, it } from "vitest";
import { auditTargetPath, targetKind } from "./audit-target.ts";

describe("an audit target's screen", () => {
  const at = (target_type: string, target_id: string | null = "t-1") =>
    auditTargetPath("c-1", { target_type, target_id });

  it("links to the target's own page or the list that shows it", () => {
    expect(at("machine")).toBe("/companies/c-1/machines/t-1");
    expect(at("project")).toBe("/companies/c-1/projects/t-1");
    expect(at("api_key")).toBe("/companies/c-1/api-keys");
    expect(at("member")).toBe("/companies/c-1/members");
    expect(at("webhook_endpoint")).toBe("/companies/c-1/webhooks");
    expect(at("installation")).toBe("/companies/c-1");
  });

  it("links nowhere without a screen, an id, or for another company", () => {
    expect(at("document")).toBeUndefined();
    expect(at("machine", null)).toBeUndefined();
    expect(at("company", "c-2")).toBeUndefined();
    expect(at("company", "c-1")).toBe("/companies/c-1");
  });

  it("names target kinds for people, and unknown ones as recorded", () => {
    expect(targetKind("api_key")).toBe("API key");
    expect(targetKind("something_new")).toBe("something_new");
  });
});
