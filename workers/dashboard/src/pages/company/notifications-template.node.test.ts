import type { NotificationTemplate } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  localesOf,
  parsePayload,
  samplePayloadText,
  templateInUse,
  versionsOf,
} from "./notifications-template.ts";

const template = (
  channel: NotificationTemplate["channel"],
  locale: string,
  version: number,
  body = `${channel} ${locale} v${version}`,
): NotificationTemplate => ({
  id: version === 0 ? null : `t-${channel}-${locale}-${version}`,
  workflow: "project.assigned",
  channel,
  locale,
  version,
  subject: null,
  body,
  source: version === 0 ? "built_in" : "company",
  created_by: null,
  created_at: version === 0 ? null : "2026-12-07T10:00:00.000Z",
});

const list = {
  templates: [template("email", "en", 1), template("email", "en", 2), template("push", "de", 1)],
  defaults: [template("email", "en", 0), template("push", "en", 0), template("email", "de", 0)],
};

describe("the template a workflow uses", () => {
  it("is the company's newest version, else the built-in of the locale, its language, then English", () => {
    expect(templateInUse(list, "email", "en")?.version).toBe(2);
    expect(templateInUse(list, "email", "de")?.source).toBe("built_in");
    expect(templateInUse(list, "push", "de-AT")?.body).toBe("push de v1");
    expect(templateInUse(list, "push", "fr")?.body).toBe("push en v0");
    expect(templateInUse(list, "sms", "en")).toBeUndefined();
    expect(versionsOf(list, "email", "EN").map((entry) => entry.version)).toEqual([2, 1]);
  });

  it("lists the locales with English first", () => {
    expect(localesOf(list)).toEqual(["en", "de"]);
    expect(localesOf({ templates: [], defaults: [] }, "pt-BR")).toEqual(["en", "pt-BR"]);
  });
});

describe("the sample payload", () => {
  it("starts from a built-in's sample and reads typed JSON objects only", () => {
    expect(JSON.parse(samplePayloadText("project.assigned"))).toHaveProperty("project");
    expect(samplePayloadText("our.own")).toBe("{}");
    expect(parsePayload(' { "a": 1 } ')).toEqual({ payload: { a: 1 } });
    expect(parsePayload("")).toEqual({ payload: {} });
    expect(parsePayload("[1]")).toEqual({ problem: "The sample payload must be a JSON object ({ … })." });
    expect(parsePayload("{ a: 1 }")).toMatchObject({
      problem: expect.stringMatching(/^The sample payload is not JSON/),
    });
  });
});
