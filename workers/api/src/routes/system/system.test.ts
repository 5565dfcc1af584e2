import { env } from "cloudflare:workers";
import { routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";

describe("system routes", () => {
  it("GET /health checks the central database", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: "ok", checks: { central_db: "ok" } });
  });

  it("GET /health/live answers without bindings", async () => {
    expect(await json(await call("/health/live"))).toEqual({ status: "ok" });
  });

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

  it("GET /.well-known/jwks.json publishes public keys only", async () => {
    const response = await call("/.well-known/jwks.json");
    const { keys } = await json<{ keys: Record<string, string>[] }>(response);
    expect(keys).toHaveLength(1);
    const [signingKey] = JSON.parse(env.JWT_SIGNING_KEYS) as { kid: string }[];
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: signingKey?.kid, alg: "EdDSA" });
    expect(keys[0]).not.toHaveProperty("d");
    expect(response.headers.get("cache-control")).toContain("max-age");
  });

  it("answers unknown routes with the envelope", async () => {
    const error = await expectError(await call("/api/nope"), 404, "NOT_FOUND");
    expect(error.message).toContain("/api/nope");
  });

  it("keeps a caller's well-formed X-Request-Id and replaces a malformed one", async () => {
    const kept = await call("/health/live", { headers: { "x-request-id": "caller-req-12345" } });
    expect(kept.headers.get("x-request-id")).toBe("caller-req-12345");
    const replaced = await call("/health/live", { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
