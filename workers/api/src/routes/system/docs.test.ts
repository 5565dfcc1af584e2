import { routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";

describe("the API reference", () => {
  it("GET /openapi.json documents every route of the catalogue with its errors", async () => {
    const document = await json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
      servers: { url: string }[];
    }>(await call("/openapi.json"));
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: "http://nexus.test" }]);
    for (const route of Object.values(routes)) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toContain(String(route.status));
    }
    expect(Object.keys(document.paths["/api/company/register"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "401", "409", "413", "503"]),
    );
    expect(document.components.schemas).toHaveProperty("ErrorEnvelope");
    expect(JSON.stringify(document)).not.toContain("#/$defs/");
  });

  it("GET /docs renders the reference page", async () => {
    const response = await call("/docs");
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain('data-url="/openapi.json"');
  });

  it("answers unknown routes with the envelope", async () => {
    const error = await expectError(await call("/api/nope"), 404, "NOT_FOUND");
    expect(error.message).toContain("/api/nope");
  });
});
