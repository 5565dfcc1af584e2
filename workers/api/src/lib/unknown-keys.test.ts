import { routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { callAsOperator, expectError, issuePaths, json, registerCompany } from "../../test/helpers.ts";
import { unknownKeys } from "./unknown-keys.ts";

describe("unknownKeys", () => {
  const schema = z.object({
    name: z.string(),
    limits: z.object({ seats: z.number() }).partial().optional(),
    tags: z.array(z.object({ key: z.string() })).default([]),
    labels: z.record(z.string(), z.object({ text: z.string() })).optional(),
    loose: z.object({}).loose().optional(),
    either: z.union([z.object({ a: z.number() }), z.object({ b: z.string() })]).optional(),
  });

  it("names the keys a schema does not describe, at any depth", () => {
    const body = {
      name: "x",
      tier: "gold",
      limits: { seats: 2, users: 3 },
      tags: [{ key: "a" }, { key: "b", colour: "red" }],
      labels: { one: { text: "t", size: 1 } },
      loose: { anything: true },
      either: { b: "s", c: 1 },
    };
    expect(schema.safeParse(body).success).toBe(true);
    expect(unknownKeys(schema, body).sort()).toEqual(
      ["either.c", "labels.one.size", "limits.users", "tags.1.colour", "tier"].sort(),
    );
  });

  it("finds none in a body that only uses the schema's keys", () => {
    expect(unknownKeys(schema, { name: "x", limits: { seats: 1 }, tags: [{ key: "k" }] })).toEqual([]);
  });

  it("walks refined and partial schemas of the catalogue", () => {
    const body = { subscription_tier: "professional", tier: "gold" };
    expect(routes.updateCompany.body.safeParse(body).success).toBe(true);
    expect(unknownKeys(routes.updateCompany.body, body)).toEqual(["tier"]);
  });
});

describe("admin write routes", () => {
  it("refuse unknown fields with 400, naming each, and change nothing", async () => {
    const company = await registerCompany();
    const path = `/api/admin/companies/${company.company_id}`;
    const before = await json<{ company: Record<string, unknown> }>(await callAsOperator(path));
    const error = await expectError(
      await callAsOperator(path, { method: "PATCH", body: { tier: "gold", seats: 3, max_users: 5 } }),
      400,
      "VALIDATION_FAILED",
    );
    expect(issuePaths(error)).toEqual(["seats", "tier"]);
    expect(error.message).toContain('"tier"');
    const after = await json<{ company: Record<string, unknown> }>(await callAsOperator(path));
    expect(after.company.max_users).toBe(before.company.max_users);
  });

  it("are described as taking no other fields in /openapi.json", async () => {
    const doc = await json<{ components: { schemas: Record<string, { additionalProperties?: unknown }> } }>(
      await callAsOperator("/openapi.json"),
    );
    expect(doc.components.schemas.UpdateCompanyRequest?.additionalProperties).toBe(false);
  });
});
