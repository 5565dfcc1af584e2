import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./args.ts";

describe("parseBenchArgs", () => {
  it("runs the table by default", () => {
    expect(parseBenchArgs([])).toMatchObject({ soak: null, durationSeconds: 10, ingest: true, routes: [] });
  });

  it("defaults the soak to 500 installations for 10 minutes", () => {
    expect(parseBenchArgs(["--soak"]).soak).toEqual({ installations: 500, minutes: 10 });
    expect(parseBenchArgs(["--soak", "--installations", "100", "--minutes", "2"]).soak).toEqual({
      installations: 100,
      minutes: 2,
    });
  });

  it("refuses soak flags without --soak, and out-of-range values", () => {
    expect(() => parseBenchArgs(["--minutes", "2"])).toThrow(/--minutes needs --soak/);
    expect(() => parseBenchArgs(["--soak", "--installations", "0"])).toThrow(
      /--installations must be an integer from 1/,
    );
    expect(() => parseBenchArgs(["--soak", "--minutes", "1.5"])).toThrow(/--minutes must be an integer/);
    expect(() => parseBenchArgs(["--soak", "--minutes", "121"])).toThrow(/from 1 to 120/);
  });
});
