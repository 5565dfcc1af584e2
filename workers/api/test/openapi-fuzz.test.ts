// A fuzzer over every operation in /openapi.json, as outside testers run one: each operation is
// called with valid credentials and odd input (wrong types, extremes, unknown fields, odd path and
// query values, bodies that are not objects). Whatever the input, the answer is never a 5xx: wrong
// input gets a 4xx with the error envelope, acceptable input a working response.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createErrorProject, sentryAuth } from "../src/routes/error-ingest/fixtures.ts";
import { insertIssues } from "../src/routes/error-issues/fixtures.ts";
import { adminToken, call, callAsOperator, json, registerCompany, validatedMachine } from "./helpers.ts";
import { companyOwner } from "./users.ts";

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: "path" | "query" | "header"; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const FAKE_ID = "00000000-0000-7000-8000-000000000000";
const ODD_VALUES: unknown[] = [
  null,
  -1,
  0,
  1e308,
  2.5,
  "",
  "x".repeat(5000),
  "\u0000\ud800💥",
  true,
  [],
  {},
  [1, "a", null],
  { $gt: "" },
];
const ODD_PATH_VALUES = [
  "..",
  "%2e%2e%2f",
  "x".repeat(300),
  "%C3%BC%F0%9F%92%A5",
  "'%20OR%201=1",
  "-1",
  "%00",
  "%zz",
  "%E0%A4%A",
];
const ODD_QUERY_VALUES = ["", "-1", "abc", "1e400", "x".repeat(1000), "[]", "%00", "2026-13-45T99:99:99Z"];

function resolve(doc: OpenApi, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  return resolve(doc, doc.components.schemas[ref.replace("#/components/schemas/", "")] ?? {});
}

/** A plausible value for a schema: enough to get past the first checks and reach the handler. */
function example(doc: OpenApi, raw: Schema, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (depth > 6) return null;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const option = (options as Schema[]).find((candidate) => resolve(doc, candidate).type !== "null");
      return option ? example(doc, option, depth + 1) : null;
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...(schema.allOf as Schema[]).map((part) => example(doc, part, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "string": {
      if (schema.format === "date-time") return new Date().toISOString();
      if (schema.format === "email") return "fuzz@example.com";
      if (schema.format === "uri") return "https://example.com/fuzz";
      if (schema.format === "uuid") return FAKE_ID;
      const min = typeof schema.minLength === "number" ? schema.minLength : 1;
      return "f"
        .repeat(Math.max(min, 4))
        .slice(0, typeof schema.maxLength === "number" ? schema.maxLength : 64);
    }
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : 1;
      return typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : min;
    }
    case "boolean":
      return true;
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: min }, () => example(doc, (schema.items ?? {}) as Schema, depth + 1));
    }
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => required.has(name) || depth === 0)
          .map(([name, property]) => [name, example(doc, property, depth + 1)]),
      );
    }
    default:
      return "fuzz";
  }
}

/** The bodies to send: a plausible one, then each top-level field replaced by each odd value. */
function bodies(doc: OpenApi, schema: Schema): unknown[] {
  const base = example(doc, schema);
  const list: unknown[] = [base, {}, [], "text", 42, null, { ...(base as object), unknown_field: 1 }];
  if (typeof base === "object" && base !== null && !Array.isArray(base)) {
    for (const field of Object.keys(resolve(doc, schema).properties ?? base)) {
      for (const value of ODD_VALUES) list.push({ ...base, [field]: value });
    }
  }
  return list;
}

/** The first `id` in a response body, depth first (`{api_key: {id}}`, `{id, token}`). */
function firstId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (!Array.isArray(value) && typeof (value as Schema).id === "string")
    return (value as Schema).id as string;
  for (const child of Object.values(value)) {
    const id = firstId(child);
    if (id) return id;
  }
  return undefined;
}

/**
 * Real resources of the fuzzed company, so odd input reaches the handlers' own code and not only
 * their "no such id" answer. Each is made from the route's own example body plus a few real values;
 * a seed that fails leaves its parameter at a well-formed unknown id.
 */
async function seedResources(doc: OpenApi, companyId: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const create = async (name: string, path: string, overrides: Record<string, unknown> = {}) => {
    const schema =
      doc.paths[path.replace(companyId, "{companyId}")]?.post?.requestBody?.content["application/json"]
        ?.schema;
    const body = { ...(schema ? (example(doc, schema) as object) : {}), ...overrides };
    const response = await callAsOperator(path, { method: "POST", body });
    const text = await response.text();
    const id = response.ok ? firstId(JSON.parse(text)) : undefined;
    if (id) ids[name] = id;
  };
  const company = `/api/admin/companies/${companyId}`;
  await create("keyId", `${company}/api-keys`, { permissions: { installations: ["read"] } });
  await create("invitationId", `${company}/invitations`, {
    email: "fuzz-invitee@example.com",
    role: "member",
  });
  await create("endpointId", `${company}/webhooks/endpoints`, { url: "https://example.com/fuzz" });
  await create("showroomId", `${company}/showrooms`, { type: "kitchen" });
  await create("projectId", `${company}/projects`, {
    showroom_id: ids.showroomId,
    expected_completion: null,
  });
  await create("documentId", `${company}/documents`, { name: "fuzz.pdf", size: 10, sha256: undefined });
  await create("releaseId", "/api/admin/releases", {
    channel: "stable",
    version: "9.9.9",
    minimum_version: undefined,
    files: [{ name: "Nexus-Setup-9.9.9.exe", platform: "win", size: 10, sha512: `${"A".repeat(86)}==` }],
  });
  await create("tokenId", "/api/admin/registration-tokens");
  await create("providerKeyId", `${company}/llm/keys`, { provider: "openai", key: "sk-stand-in-fuzz-key" });
  // The gateway lets the fuzzer's installation in, so its odd bodies reach the gateway's own code.
  await callAsOperator(`${company}/llm/policy`, {
    method: "PUT",
    body: {
      models: [{ name: "default", targets: [{ provider: "openai", model: "gpt-4o-mini" }] }],
      allow_installations: true,
    },
  });
  // Error projects have numeric ids (Sentry's DSNs need digits), which firstId does not pick up.
  const errorProject = await json<{ project?: { id: number } }>(
    await callAsOperator(`${company}/error-projects`, {
      body: { name: "Fuzz", app: "desktop", platform: "electron" },
    }),
  );
  if (errorProject.project) ids.errorProjectId = String(errorProject.project.id);
  // Issues are written by the error consumer: the fuzzer's goes straight into the tenant database.
  const [issue] = await insertIssues(companyId, [{ projectId: errorProject.project?.id ?? 1 }]);
  if (issue) ids.issueId = issue.id;
  // A logged search, so the click route's odd bodies reach its own code (the row is written just after
  // the answer; the fuzzer's later calls find it).
  const search = await json<{ query_id?: string }>(
    await callAsOperator(`${company}/search`, { body: { q: "fuzz" } }),
  );
  if (search.query_id) ids.queryId = search.query_id;
  const members = await json(await callAsOperator(`${company}/members`));
  const memberId = firstId(members);
  if (memberId) ids.memberId = memberId;
  return ids;
}

describe("the API under a fuzzer", () => {
  it("answers every operation in /openapi.json without a 5xx, whatever the input", {
    timeout: 300_000,
  }, async () => {
    const doc = await json<OpenApi>(await call("/openapi.json"));
    const company = await registerCompany({ admin_email: "fuzz-owner@example.com" });
    // The owner signs up and joins, so the member routes have a real member to work on.
    await companyOwner(company.company_id, "fuzz-owner@example.com");
    const machine = await validatedMachine(company.company_code, "fuzz-machine");
    const ids: Record<string, string> = {
      ...(await seedResources(doc, company.company_id)),
      companyId: company.company_id,
      installationId: machine.installation.id,
    };
    // Every seed found a real resource: the fuzzing must reach the handlers' own code.
    expect(Object.keys(ids).sort()).toEqual(
      [
        "companyId",
        "documentId",
        "endpointId",
        "errorProjectId",
        "installationId",
        "invitationId",
        "issueId",
        "keyId",
        "memberId",
        "projectId",
        "providerKeyId",
        "queryId",
        "releaseId",
        "showroomId",
        "tokenId",
      ].sort(),
    );
    // The Sentry ingest's routes get a real DSN, so odd bodies reach the envelope parser.
    const errorProject = await createErrorProject(company.company_id);
    const failures: string[] = [];
    let requests = 0;

    /** One request; `text` sends a body as it is, under `contentType`, instead of JSON. */
    async function send(
      method: string,
      path: string,
      operation: Operation,
      body: unknown,
      raw = false,
      text?: { payload: string; contentType: string },
    ): Promise<void> {
      const schemes = new Set((operation.security ?? []).flatMap((entry) => Object.keys(entry)));
      const token = schemes.has("adminSecret")
        ? adminToken()
        : schemes.has("installationToken")
          ? machine.installation.token
          : undefined;
      const headers: Record<string, string> = schemes.has("sentryKey")
        ? sentryAuth(errorProject.publicKey)
        : {};
      if (token) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (text) {
        payload = text.payload;
        headers["content-type"] = text.contentType;
      } else if (body !== undefined && method !== "GET") {
        payload = raw ? "\u0000\u0001 not the declared bytes" : JSON.stringify(body);
        headers["content-type"] = raw ? "application/octet-stream" : "application/json";
      }
      requests += 1;
      const response = await call(path, { method, headers, body: payload });
      const answer = await response.text();
      if (response.status >= 500) {
        const sent = text ? `${text.contentType} ${text.payload}` : JSON.stringify(body);
        failures.push(
          `${method} ${path} ${sent?.slice(0, 200)} -> ${response.status} ${answer.slice(0, 200)}`,
        );
      }
      // A suspension or deactivation the fuzzer caused must not hide the routes after it.
      await env.CENTRAL_DB.prepare(
        "UPDATE companies SET suspended_at = NULL, subscription_status = 'active', expires_at = NULL WHERE id = ?",
      )
        .bind(company.company_id)
        .run();
    }

    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (template === "/api/live") continue; // a WebSocket upgrade, fuzzed by the live tests
        const verb = method.toUpperCase();
        const pathParams = (operation.parameters ?? []).filter((p) => p.in === "path");
        const queryParams = (operation.parameters ?? []).filter((p) => p.in === "query");
        const sentry = (operation.security ?? []).some((entry) => "sentryKey" in entry);
        const fill = (overrides: Record<string, string> = {}) =>
          template.replace(/\{(\w+)\}/g, (_, name: string) => {
            if (name in overrides) return overrides[name] as string;
            if (sentry && name === "projectId") return String(errorProject.id);
            if (ids[name]) return encodeURIComponent(ids[name]);
            // Enumerated parameters (a provider, a tier) take a real value; ids a well-formed unknown one.
            const schema = resolve(doc, pathParams.find((p) => p.name === name)?.schema ?? {});
            return encodeURIComponent(String(Array.isArray(schema.enum) ? schema.enum[0] : FAKE_ID));
          });
        const content = operation.requestBody?.content ?? {};
        const jsonSchema = content["application/json"]?.schema;
        const raw = "application/octet-stream" in content;
        const sampleBody = jsonSchema ? example(doc, jsonSchema) : raw ? "bytes" : undefined;

        for (const body of jsonSchema ? bodies(doc, jsonSchema) : [sampleBody]) {
          await send(verb, fill(), operation, body, raw);
        }
        if (verb !== "GET") {
          // Bodies that are not what the route reads: truncated JSON, another media type, JSON
          // nested past any sane depth.
          for (const text of [
            { payload: '{"a":', contentType: "application/json" },
            { payload: "<a/>", contentType: "application/xml" },
            { payload: `${"[".repeat(5000)}${"]".repeat(5000)}`, contentType: "application/json" },
            { payload: JSON.stringify(sampleBody ?? {}), contentType: "text/plain" },
          ]) {
            await send(verb, fill(), operation, undefined, raw, text);
          }
        }
        for (const parameter of pathParams) {
          for (const value of ODD_PATH_VALUES) {
            await send(verb, fill({ [parameter.name]: value }), operation, sampleBody, raw);
          }
        }
        for (const parameter of queryParams) {
          for (const value of ODD_QUERY_VALUES) {
            const query = `?${parameter.name}=${encodeURIComponent(value)}`;
            await send(verb, `${fill()}${query}`, operation, sampleBody, raw);
          }
          // A malformed escape, as a hand-typed URL may carry.
          await send(verb, `${fill()}?${parameter.name}=%zz`, operation, sampleBody, raw);
        }
      }
    }
    expect(requests).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});
