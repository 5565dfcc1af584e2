import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { RegisterRequest, RegisterResponse, ServerMessage, ValidateResponse } from "@nexus/contracts";
import { expect } from "vitest";
import worker from "../src/index.ts";

export const BASE_URL = "http://nexus.test";

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Sent as-is when a string, JSON-encoded otherwise. */
  headers?: Record<string, string>;
  token?: string;
}

function buildRequest(path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  // A session cookie comes from a browser on the API's own origin unless a test says otherwise
  // (the API refuses cookie writes from other origins: middleware/csrf.ts).
  if (headers.has("cookie") && !headers.has("origin")) headers.set("origin", BASE_URL);
  return new Request(`${BASE_URL}${path}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
}

/** Calls the worker through its real entrypoint, with the test run's bindings. */
export function call(path: string, options?: CallOptions): Promise<Response> {
  return exports.default.fetch(buildRequest(path, options));
}

/** Sends a raw body (file bytes, a stream) with its length, as upload clients do. */
export function callRaw(
  path: string,
  init: { method?: string; body: Uint8Array | ReadableStream; length?: number; token?: string },
): Promise<Response> {
  const length = init.length ?? (init.body instanceof Uint8Array ? init.body.byteLength : undefined);
  return exports.default.fetch(
    new Request(`${BASE_URL}${path}`, {
      method: init.method ?? "PUT",
      headers: {
        "content-type": "application/octet-stream",
        ...(length === undefined ? {} : { "content-length": String(length) }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body,
    }),
  );
}

/** Calls the worker with some vars changed (e.g. REGISTRATION_MODE=open). */
export async function callWithEnv(
  overrides: Partial<Env>,
  path: string,
  options?: CallOptions,
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(buildRequest(path, options), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export const adminToken = () => env.NEXUS_ADMIN_SECRET;

/** Calls the worker with the operator credential. */
export const callAsOperator = (path: string, options: Omit<CallOptions, "token"> = {}) =>
  call(path, { ...options, token: adminToken() });

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

let companyCounter = 0;

/** Registers a company as an operator and returns the response body. */
export async function registerCompany(overrides: Partial<RegisterRequest> = {}): Promise<RegisterResponse> {
  companyCounter += 1;
  const response = await call("/api/company/register", {
    token: adminToken(),
    body: {
      company_name: `Test Company ${companyCounter}`,
      admin_email: `admin${companyCounter}@example.com`,
      ...overrides,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<RegisterResponse>(response);
}

/** A stable fake client IP per machine, so per-IP rate limits apply as they would to separate PCs. */
export function ipFor(machineId: string): string {
  let hash = 0;
  for (const char of machineId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `198.51.${(hash >>> 8) & 255}.${hash & 255}`;
}

/**
 * The installation secrets this test file's machines got on their first validate, by company code
 * and machine id: validateMachine sends them again, as the real app does, so a machine validating
 * twice is the same machine. (Pass `installation_secret` in `extra`, even undefined, to act as
 * another device.)
 */
const installationSecrets = new Map<string, string>();
const secretKey = (companyCode: string, machineId: string) => `${companyCode.toUpperCase()}\n${machineId}`;

export function installationSecretOf(companyCode: string, machineId: string): string | undefined {
  return installationSecrets.get(secretKey(companyCode, machineId));
}

export async function validateMachine(
  companyCode: string,
  machineId: string,
  extra: Record<string, unknown> = {},
) {
  const known = installationSecretOf(companyCode, machineId);
  const response = await call("/api/company/validate", {
    headers: { "cf-connecting-ip": ipFor(machineId) },
    body: {
      company_code: companyCode,
      machine_id: machineId,
      hostname: `host-${machineId}`,
      app_version: "1.0.0",
      ...(known ? { installation_secret: known } : {}),
      ...extra,
    },
  });
  if (response.ok) {
    const body = await json<ValidateResponse>(response.clone());
    const sent = "installation_secret" in extra ? extra.installation_secret : known;
    const secret = body.installation.secret ?? (typeof sent === "string" ? sent : undefined);
    if (secret) installationSecrets.set(secretKey(companyCode, machineId), secret);
  }
  return response;
}

export async function validatedMachine(companyCode: string, machineId: string): Promise<ValidateResponse> {
  const response = await validateMachine(companyCode, machineId);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<ValidateResponse>(response);
}

/** Asserts the error envelope: status, code, a message, and the request id matching the header. */
export async function expectError(response: Response, status: number, code: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as {
    success: boolean;
    error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
  };
  expect(body.success).toBe(false);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(body.error.request_id).toBe(response.headers.get("x-request-id"));
  return body.error;
}

/** The field paths a VALIDATION_FAILED error names. */
export function issuePaths(error: { details?: Record<string, unknown> }): string[] {
  const issues = (error.details?.issues ?? []) as { path: string }[];
  return issues.map((issue) => issue.path).sort();
}

export interface LiveConnection {
  ws: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the next message of a type (already received or still to come). */
  next<T extends ServerMessage["type"]>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a real WebSocket to /api/live through the worker. */
export async function openLive(options: {
  token?: string;
  query?: string;
  cookie?: string;
}): Promise<LiveConnection> {
  const headers: Record<string, string> = { upgrade: "websocket" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // A browser names the page's origin on every WebSocket handshake (middleware/csrf.ts checks it).
  if (options.cookie) Object.assign(headers, { cookie: options.cookie, origin: BASE_URL });
  const response = await exports.default.fetch(`${BASE_URL}/api/live${options.query ?? ""}`, { headers });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no upgrade: ${response.status} ${await response.text()}`);
  ws.accept();
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (event) => {
    messages.push(JSON.parse(String(event.data)) as ServerMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  const consumed = new Set<number>();
  async function next<T extends ServerMessage["type"]>(type: T, timeoutMs = 2000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = messages.findIndex((message, i) => message.type === type && !consumed.has(i));
      if (index >= 0) {
        consumed.add(index);
        return messages[index] as Extract<ServerMessage, { type: T }>;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`no ${type} message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, remaining);
      });
    }
  }
  return { ws, messages, next, closed };
}
