// Builds the OpenAPI 3.1 document from the route catalogue. Schemas named with `.meta({ id })` become
// shared components; where a schema's request form differs from its response form (defaults make
// fields required on the way out), the request form is named `<id>Input`.
import { z } from "zod";
import { type RouteContract, routes } from "./routes.ts";
import { ErrorEnvelopeSchema, errorStatus } from "./shared/errors.ts";

type JsonSchema = Record<string, unknown>;

const securitySchemes = {
  adminSecret: { type: "http", scheme: "bearer", description: "NEXUS_ADMIN_SECRET (operators, automation)" },
  session: {
    type: "apiKey",
    in: "cookie",
    name: "better-auth.session_token",
    description: "A dashboard user's session (POST /api/auth/sign-in/email)",
  },
  registrationToken: { type: "http", scheme: "bearer", description: "Single-use registration token" },
  installationToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "From /api/company/validate",
  },
  apiKey: { type: "http", scheme: "bearer", description: "A company API key (`nxk_…`)" },
  sentryKey: {
    type: "apiKey",
    in: "header",
    name: "X-Sentry-Auth",
    description:
      "An error project's public DSN key, as Sentry SDKs send it: `Sentry sentry_key=<key>, sentry_version=7`; or `?sentry_key=`, or the envelope header's `dsn`",
  },
};

const securityFor: Record<RouteContract["auth"], Record<string, string[]>[] | undefined> = {
  none: undefined,
  operator: [{ adminSecret: [] }, { session: [] }],
  company: [{ adminSecret: [] }, { session: [] }, { apiKey: [] }],
  companyUser: [{ session: [] }],
  registration: [{ adminSecret: [] }, { registrationToken: [] }, {}],
  installationToken: [{ installationToken: [] }],
  installationTokenOrApiKey: [{ installationToken: [] }, { apiKey: [] }],
  installationTokenOrMember: [{ installationToken: [] }, { session: [] }, { adminSecret: [] }],
  member: [{ session: [] }, { adminSecret: [] }],
  // Both carry their proof in the request itself (the link's signature, the sender's signature).
  signedLink: undefined,
  webhookSignature: undefined,
  sentryKey: [{ sentryKey: [] }],
};

class ComponentCollector {
  readonly schemas: Record<string, JsonSchema> = {};

  /** Converts a zod schema and moves its named parts into the shared components. */
  add(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
    const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
    delete converted.$defs;
    delete converted.$schema;
    const renames = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      const existing = this.schemas[name];
      const finalName =
        existing && JSON.stringify(existing) !== JSON.stringify(def) && io === "input"
          ? `${name}Input`
          : name;
      renames.set(name, finalName);
    }
    const rewrite = (value: JsonSchema): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) => {
          return JSON.stringify(`#/components/schemas/${renames.get(name) ?? name}`);
        }),
      ) as JsonSchema;
    for (const [name, def] of Object.entries(defs)) {
      this.schemas[renames.get(name) ?? name] ??= rewrite(def);
    }
    return rewrite(converted);
  }

  /** Marks every object schema reachable from `schema` (through refs too) as taking no other keys. */
  close(schema: JsonSchema, seen = new Set<JsonSchema>()): void {
    if (seen.has(schema)) return;
    seen.add(schema);
    const ref = schema.$ref;
    if (typeof ref === "string") {
      const target = this.schemas[ref.replace("#/components/schemas/", "")];
      if (target) this.close(target, seen);
      return;
    }
    if (schema.type === "object" && schema.properties && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) {
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (typeof child === "object" && child !== null) this.close(child as JsonSchema, seen);
      }
    }
  }
}

function parameters(route: RouteContract, components: ComponentCollector): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [location, shape] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!shape) continue;
    const schema = components.add(shape, "input");
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      list.push({
        name,
        in: location,
        required: location === "path" || required.has(name),
        schema: property,
      });
    }
  }
  for (const [name, description] of Object.entries(route.headers ?? {})) {
    list.push({
      name,
      in: "header",
      required: false,
      description,
      schema: { type: "string", maxLength: 255 },
    });
  }
  return list;
}

export function buildOpenApiDocument(options: { serverUrl?: string; version?: string } = {}): JsonSchema {
  const components = new ComponentCollector();
  const errorEnvelope = components.add(ErrorEnvelopeSchema, "output");
  const paths: Record<string, Record<string, JsonSchema>> = {};

  for (const [operationId, route] of Object.entries(routes) as [string, RouteContract][]) {
    const responses: Record<string, JsonSchema> = {
      [route.status]: {
        description: "Success",
        content: route.responseType
          ? Object.fromEntries(
              route.responseType
                .split(", ")
                .map((type) => [type, { schema: { type: "string", format: "binary" } }]),
            )
          : {
              "application/json": { schema: components.add(route.response, "output") },
              ...(route.streamType ? { [route.streamType]: { schema: { type: "string" } } } : {}),
            },
      },
    };
    const errorsByStatus = new Map<number, string[]>();
    for (const code of route.errors) {
      const status = errorStatus[code];
      errorsByStatus.set(status, [...(errorsByStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of errorsByStatus) {
      responses[status] = {
        description: `Error: ${codes.join(", ")}`,
        content: { "application/json": { schema: errorEnvelope } },
      };
    }
    const operation: JsonSchema = {
      operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route, components),
      responses,
    };
    if (route.rawBody) {
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(
          (route.rawBodyType ?? "application/octet-stream")
            .split(", ")
            .map((type) => [type, { schema: { type: "string", format: "binary" } }]),
        ),
      };
    } else if (route.body) {
      const body = components.add(route.body, "input");
      // Admin write routes refuse fields their schema does not name (the apps' routes ignore them).
      if (route.path.startsWith("/api/admin/")) components.close(body);
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: body } },
      };
    }
    const base = securityFor[route.auth];
    // Company routes the apps may call take their installation token too.
    const security = route.installations && base ? [...base, { installationToken: [] }] : base;
    if (security) operation.security = security;
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Nexus Central API",
      version: options.version ?? "0.1.0",
      description:
        "The edge backend of the Nexus product family. Every error answers with the ErrorEnvelope and every response carries X-Request-Id.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: { schemas: components.schemas, securitySchemes },
  };
}
