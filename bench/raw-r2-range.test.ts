import { describe, expect, it } from "vitest";
import { singleRange } from "./raw-r2-range.ts";

describe("the raw R2 reader's Range", () => {
  it("serves one closed range, as the API's range routes are asked", () => {
    expect(singleRange("bytes=0-1048575")).toEqual({ offset: 0, length: 1048576 });
    expect(singleRange(" bytes=10-10 ")).toEqual({ offset: 10, length: 1 });
  });

  it("refuses what it does not implement rather than reading the whole object", () => {
    for (const header of [null, "", "bytes=5-", "bytes=-100", "bytes=0-1,4-5", "bytes=9-3", "items=0-1"]) {
      expect(singleRange(header)).toBeNull();
    }
  });
});
