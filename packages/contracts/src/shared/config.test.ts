import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configReader, jsonSetting } from "./config.ts";

const read = configReader(
  z.object({ TIERS: jsonSetting(z.record(z.string(), z.string()), 'must be JSON like {"a":"b"}') }),
  (problems) => new Error(problems),
);

describe("JSON settings", () => {
  it("parse a matching value, and default to an empty object", () => {
    expect(read({ TIERS: '{"price_1":"professional"}' }).TIERS).toEqual({ price_1: "professional" });
    expect(read({}).TIERS).toEqual({});
  });

  it("name the setting and a good value, never the bad value, for text that is not JSON or of the wrong shape", () => {
    expect(() => read({ TIERS: "{price_secret: pro}" })).toThrow('TIERS must be JSON like {"a":"b"}');
    expect(() => read({ TIERS: '{"price_1": 3}' })).toThrow("TIERS must be JSON like");
    try {
      read({ TIERS: "{price_secret: pro}" });
    } catch (error) {
      expect(String(error)).not.toContain("price_secret");
    }
  });
});
