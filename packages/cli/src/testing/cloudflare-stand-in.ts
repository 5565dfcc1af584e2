// A local stand-in for the three Cloudflare v4 endpoints `nexus tenants pool add` uses, speaking
// their wire formats: D1 create (JSON), script settings GET (JSON) and PATCH (multipart/form-data
// with a JSON part named "settings"). It keeps databases and bindings in memory, so tests and demos
// can check what a run would have done to an account without going near a real one.
import { randomUUID } from "node:crypto";
import type { D1Database, WorkerBinding } from "../cloudflare/api.ts";
import { isRecord } from "../util.ts";
import { startLocalServer } from "./http-server.ts";

export interface StandInError {
  status: number;
  code: number;
  message: string;
}

export interface StandInScript {
  bindings: WorkerBinding[];
  compatibility_date?: string;
  compatibility_flags?: string[];
}

export interface CloudflareStandInOptions {
  accountId: string;
  apiToken: string;
  scripts?: Record<string, StandInScript>;
  /** Consulted before each D1 create (call numbers start at 1); return an error to fail that call. */
  failD1Create?: (call: number, name: string) => StandInError | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** For a settings PATCH: the parsed JSON of the "settings" part. */
  settings?: unknown;
}

export interface CloudflareStandIn {
  /** Use as CLOUDFLARE_API_BASE_URL. */
  baseUrl: string;
  databases: D1Database[];
  requests: RecordedRequest[];
  /** A script's bindings as stored (secret values included, unlike GET). */
  bindings(script: string): WorkerBinding[];
  close(): Promise<void>;
}

const PREFIX = "/client/v4";
const SECRET_TYPES = new Set(["secret_text", "secret_key"]);

export async function startCloudflareStandIn(options: CloudflareStandInOptions): Promise<CloudflareStandIn> {
  const scripts = new Map(
    Object.entries(options.scripts ?? {}).map(([name, script]) => [name, structuredClone(script)]),
  );
  const databases: D1Database[] = [];
  const requests: RecordedRequest[] = [];
  let d1Creates = 0;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const recorded: RecordedRequest = { method: request.method, path: url.pathname };
    requests.push(recorded);

    const authError = authenticate(request);
    if (authError) return failure(authError);

    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : "";
    const d1 = /^\/accounts\/([^/]+)\/d1\/database$/.exec(path);
    const settings = /^\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/settings$/.exec(path);
    const account = d1?.[1] ?? settings?.[1];
    if (account !== undefined && decodeURIComponent(account) !== options.accountId) {
      return failure({ status: 403, code: 10000, message: "Authentication error" });
    }
    if (d1 && request.method === "POST") return createDatabase(request);
    if (settings?.[2] !== undefined) {
      const script = scripts.get(decodeURIComponent(settings[2]));
      if (!script)
        return failure({ status: 404, code: 10007, message: "This Worker does not exist on your account." });
      if (request.method === "GET") return success(publicSettings(script));
      if (request.method === "PATCH") return patchSettings(request, script, recorded);
    }
    return failure({
      status: 404,
      code: 7003,
      message: `Could not route to ${url.pathname}, perhaps your object identifier is invalid?`,
    });
  }

  function authenticate(request: Request): StandInError | undefined {
    const header = request.headers.get("authorization");
    if (!header?.startsWith("Bearer ")) {
      return { status: 400, code: 6003, message: "Invalid request headers" };
    }
    if (header.slice("Bearer ".length) !== options.apiToken) {
      return { status: 403, code: 9109, message: "Invalid access token" };
    }
    return undefined;
  }

  async function createDatabase(request: Request): Promise<Response> {
    d1Creates += 1;
    const body: unknown = await request.json().catch(() => undefined);
    if (!isRecord(body) || typeof body.name !== "string" || body.name === "") {
      return failure({ status: 400, code: 7400, message: "The request is malformed: name is required" });
    }
    const injected = options.failD1Create?.(d1Creates, body.name);
    if (injected) return failure(injected);
    if (databases.some((db) => db.name === body.name)) {
      return failure({ status: 400, code: 7502, message: "A database with that name already exists" });
    }
    const database = {
      uuid: randomUUID(),
      name: body.name,
      created_at: new Date().toISOString(),
      version: "production",
      num_tables: 0,
      file_size: 0,
    };
    databases.push(database);
    return success(database);
  }

  async function patchSettings(request: Request, script: StandInScript, recorded: RecordedRequest) {
    if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) {
      return failure({ status: 415, code: 10008, message: "Expected a multipart/form-data body" });
    }
    const part = (await request.formData()).get("settings");
    const text = typeof part === "string" ? part : await part?.text();
    let settings: unknown;
    try {
      settings = JSON.parse(text ?? "");
    } catch {
      return failure({ status: 400, code: 10021, message: "settings part missing or not JSON" });
    }
    recorded.settings = settings;
    if (!isRecord(settings))
      return failure({ status: 400, code: 10021, message: "settings must be an object" });
    if (settings.bindings !== undefined) {
      const next = resolveBindings(settings.bindings, script.bindings);
      if ("code" in next) return failure(next);
      script.bindings = next;
    }
    return success(publicSettings(script));
  }

  /** Validates a new binding list the way the API does what matters here, resolving `inherit`. */
  function resolveBindings(value: unknown, previous: WorkerBinding[]): WorkerBinding[] | StandInError {
    const invalid = (message: string): StandInError => ({ status: 400, code: 10021, message });
    if (!Array.isArray(value)) return invalid("bindings must be an array");
    const result: WorkerBinding[] = [];
    for (const binding of value) {
      if (!isRecord(binding) || typeof binding.type !== "string" || typeof binding.name !== "string") {
        return invalid("each binding needs a type and a name");
      }
      if (result.some((b) => b.name === binding.name))
        return invalid(`duplicate binding name ${binding.name}`);
      if (binding.type === "inherit") {
        const old = previous.find((b) => b.name === binding.name);
        if (!old) return invalid(`binding ${binding.name} has nothing to inherit`);
        result.push(old);
      } else if (SECRET_TYPES.has(binding.type) && typeof binding.text !== "string") {
        return invalid(`secret binding ${binding.name} needs its text (or type "inherit")`);
      } else if (binding.type === "d1" && typeof binding.id !== "string") {
        return invalid(`D1 binding ${binding.name} needs an id`);
      } else {
        result.push(binding as WorkerBinding);
      }
    }
    return result;
  }

  const server = await startLocalServer(handle);
  return {
    baseUrl: `${server.url}${PREFIX}`,
    databases,
    requests,
    bindings: (script) => structuredClone(scripts.get(script)?.bindings ?? []),
    close: server.close,
  };
}

/** Settings as GET returns them: secret values are never sent back. */
function publicSettings(script: StandInScript) {
  return {
    ...script,
    bindings: script.bindings.map((b) => (SECRET_TYPES.has(b.type) ? { type: b.type, name: b.name } : b)),
  };
}

function success(result: unknown): Response {
  return Response.json({ success: true, errors: [], messages: [], result });
}

function failure(error: StandInError): Response {
  return Response.json(
    { success: false, errors: [{ code: error.code, message: error.message }], messages: [], result: null },
    { status: error.status },
  );
}
