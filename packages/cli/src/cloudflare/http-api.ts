// CloudflareApi over the real v4 REST API (the same endpoints wrangler uses for `d1 create` and for
// reading/patching script settings). Every response is the v4 envelope
// `{success, errors, messages, result}`; anything else is reported with the HTTP status.
import { CliError } from "../errors.ts";
import type { Fetch } from "../io.ts";
import { describeError, isRecord } from "../util.ts";
import {
  type CloudflareApi,
  CloudflareApiError,
  type CloudflareMessage,
  type D1Database,
  type ScriptSettings,
  type WorkerBinding,
} from "./api.ts";

export const DEFAULT_CLOUDFLARE_API_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface HttpCloudflareApiOptions {
  baseUrl: string;
  accountId: string;
  apiToken: string;
  fetch: Fetch;
}

/** Builds the client from CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN and CLOUDFLARE_API_BASE_URL. */
export function cloudflareApiFromEnv(env: Record<string, string | undefined>, fetch: Fetch): CloudflareApi {
  const accountId = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  const apiToken = env.CLOUDFLARE_API_TOKEN?.trim();
  const missing = [!accountId && "CLOUDFLARE_ACCOUNT_ID", !apiToken && "CLOUDFLARE_API_TOKEN"].filter(
    Boolean,
  );
  if (!accountId || !apiToken) {
    throw new CliError(
      `${missing.join(" and ")} must be set to talk to Cloudflare (the token needs D1 Edit and Workers Scripts Edit). ` +
        "Use --local to only add bindings to the local wrangler config.",
    );
  }
  const baseUrl = env.CLOUDFLARE_API_BASE_URL?.trim() || DEFAULT_CLOUDFLARE_API_BASE_URL;
  return createHttpCloudflareApi({ baseUrl, accountId, apiToken, fetch });
}

export function createHttpCloudflareApi(options: HttpCloudflareApiOptions): CloudflareApi {
  const base = options.baseUrl.replace(/\/+$/, "");
  const account = `/accounts/${encodeURIComponent(options.accountId)}`;
  const settingsPath = (script: string) =>
    `${account}/workers/scripts/${encodeURIComponent(script)}/settings`;

  async function call(operation: string, path: string, init: RequestInit): Promise<unknown> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${options.apiToken}`);
    let response: Response;
    try {
      response = await options.fetch(`${base}${path}`, { ...init, headers });
    } catch (error) {
      throw new CloudflareApiError(operation, null, [], `could not reach ${base}: ${describeError(error)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CloudflareApiError(
        operation,
        response.status,
        [],
        `not a JSON answer: ${text.slice(0, 200)}`,
      );
    }
    if (!isRecord(body) || body.success !== true || !response.ok) {
      const errors = isRecord(body) ? cloudflareMessages(body.errors) : [];
      throw new CloudflareApiError(operation, response.status, errors);
    }
    return body.result;
  }

  return {
    async createD1Database(name) {
      const operation = `create D1 database ${name}`;
      const result = await call(operation, `${account}/d1/database`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name }),
      });
      if (!isRecord(result) || typeof result.uuid !== "string" || typeof result.name !== "string") {
        throw new CloudflareApiError(operation, 200, [], "the answer has no database uuid");
      }
      return result as unknown as D1Database;
    },

    async getScriptSettings(script) {
      const operation = `read settings of worker ${script}`;
      return scriptSettings(operation, await call(operation, settingsPath(script), { method: "GET" }));
    },

    async patchScriptSettings(script, settings) {
      const operation = `update bindings of worker ${script}`;
      // The settings endpoint takes multipart/form-data with the settings as a JSON part named
      // "settings" (how the official SDK and wrangler send it); fetch sets the boundary.
      const form = new FormData();
      form.append("settings", new Blob([JSON.stringify(settings)], { type: "application/json" }), "settings");
      return scriptSettings(
        operation,
        await call(operation, settingsPath(script), { method: "PATCH", body: form }),
      );
    },
  };
}

function scriptSettings(operation: string, result: unknown): ScriptSettings {
  if (!isRecord(result) || !Array.isArray(result.bindings) || !result.bindings.every(isBinding)) {
    throw new CloudflareApiError(operation, 200, [], "the answer has no bindings list");
  }
  return result as ScriptSettings;
}

function isBinding(value: unknown): value is WorkerBinding {
  return isRecord(value) && typeof value.type === "string" && typeof value.name === "string";
}

function cloudflareMessages(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((error) => ({
    code: typeof error.code === "number" ? error.code : 0,
    message: typeof error.message === "string" ? error.message : JSON.stringify(error),
  }));
}
