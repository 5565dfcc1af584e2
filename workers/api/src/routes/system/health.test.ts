import { describe, expect, it } from "vitest";
import { call, json } from "../../../test/helpers.ts";

describe("GET /health", () => {
  it("checks the central database", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: "ok", checks: { central_db: "ok" } });
  });
});
