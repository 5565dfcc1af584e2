import { describe, expect, it } from "vitest";
import { call, json } from "../../../test/helpers.ts";

describe("GET /health/live", () => {
  it("answers without bindings", async () => {
    expect(await json(await call("/health/live"))).toEqual({ status: "ok" });
  });

  it("keeps a caller's well-formed X-Request-Id and replaces a malformed one", async () => {
    const kept = await call("/health/live", { headers: { "x-request-id": "caller-req-12345" } });
    expect(kept.headers.get("x-request-id")).toBe("caller-req-12345");
    const replaced = await call("/health/live", { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
