import { env, exports } from "cloudflare:workers";
import { ErrorEnvelopeSchema } from "@nexus/contracts";
import {
  createNexusClient,
  type FetchLike,
  type LiveConnect,
  memoryInstallationSecretStore,
  NexusApiError,
  type NexusClientOptions,
  type ValidateResponse,
  type WebSocketLike,
} from "../src/index.ts";

export const BASE_URL = "http://nexus.test";

/** The real API worker, reached the way an app reaches it over the network. */
export const toWorker: FetchLike = (input, init) => exports.default.fetch(new Request(input, init));

export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
}

/**
 * A fetch that answers attempt n with `steps[n]` and later attempts from the real worker, and
 * records every request it was given.
 */
export function scriptedFetch(...steps: FetchLike[]) {
  const sent: SentRequest[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({
      method: init.method ?? "GET",
      url: input,
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    });
    const step = steps[sent.length - 1] ?? toWorker;
    return step(input, init);
  };
  return { fetch, sent };
}

export const networkFailure: FetchLike = () => Promise.reject(new TypeError("fetch failed"));

/** Never answers; rejects only when the client gives up on the attempt. */
export const hangUntilAborted: FetchLike = (_input, init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

export function answer(status: number, body: unknown, headers: Record<string, string> = {}): FetchLike {
  return () =>
    Promise.resolve(
      new Response(typeof body === "string" ? body : JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json", ...headers },
      }),
    );
}

export function errorEnvelope(code: string, message = "Scripted failure for a client test.") {
  return { success: false, error: { code, message, request_id: "req-scripted" } };
}

/**
 * The installation secrets of this test file's machines, shared by every testClient as an app keeps
 * them in its storage across restarts. A test acting as another device passes its own store.
 */
const deviceSecrets = memoryInstallationSecretStore();

/** A client against the real worker with fast retries, registering as the operator. */
export function testClient(fetch: FetchLike, overrides: Partial<NexusClientOptions> = {}) {
  return createNexusClient({
    baseUrl: BASE_URL,
    fetch,
    credential: env.NEXUS_ADMIN_SECRET,
    backoff: 1,
    timeoutMs: 5_000,
    installationSecrets: deviceSecrets,
    ...overrides,
  });
}

let counter = 0;

export function companyInput() {
  counter += 1;
  return { company_name: `Client Test ${counter}`, admin_email: `client${counter}@example.com` };
}

/** The error a call failed with; fails the test when the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

/** Polls until `condition` holds; fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 3_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An operator call to the real worker; returns the parsed JSON body after checking the status. */
export async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await toWorker(`${BASE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${env.NEXUS_ADMIN_SECRET}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status !== 200)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function heartbeatCount(companyId: string): Promise<number> {
  const stats = (await admin("GET", `/api/admin/companies/${companyId}/hub`)) as { heartbeats: number };
  return stats.heartbeats;
}

/** A registered company with one validated installation. */
export async function joinedInstallation(): Promise<{ companyCode: string; joined: ValidateResponse }> {
  const client = testClient(scriptedFetch().fetch);
  const company = await client.register(companyInput());
  const joined = await client.validate({
    company_code: company.company_code,
    machine_id: "machine-1",
    hostname: "DESKTOP-1",
    app_version: "1.0.0",
  });
  return { companyCode: company.company_code, joined };
}

/**
 * Opens live sockets on the real worker the way the default connect does (`?token=`), through a
 * fetch upgrade, which can read a refusal's envelope and throw it as NexusApiError.
 */
export function workerConnect() {
  const sockets: WebSocket[] = [];
  const urls: string[] = [];
  const connect: LiveConnect = async (url, token) => {
    urls.push(url);
    const target = new URL(url.replace(/^ws/, "http"));
    target.searchParams.set("token", token);
    const response = await exports.default.fetch(target.toString(), { headers: { upgrade: "websocket" } });
    const ws = response.webSocket;
    if (!ws) {
      const envelope = ErrorEnvelopeSchema.parse(await response.json());
      throw new NexusApiError({
        status: response.status,
        code: envelope.error.code,
        message: envelope.error.message,
        details: envelope.error.details,
        requestId: envelope.error.request_id,
        retryAfterMs: undefined,
      });
    }
    ws.accept();
    sockets.push(ws);
    return ws;
  };
  return { connect, sockets, urls };
}

type Listener = (event: { data: unknown; code: number; reason: string }) => void;

/** A socket the test drives by hand: `receive` a frame, `serverClose` it. */
export class FakeSocket implements WebSocketLike {
  readonly sent: string[] = [];
  closedWith: { code?: number | undefined; reason?: string | undefined } | undefined;
  readonly #listeners = new Map<string, Listener[]>();

  send(data: string): void {
    if (this.closedWith) throw new Error("socket closed");
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }
  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  receive(data: unknown): void {
    for (const listener of this.#listeners.get("message") ?? []) listener({ data, code: 0, reason: "" });
  }
  serverClose(code: number, reason = ""): void {
    for (const listener of this.#listeners.get("close") ?? []) listener({ data: undefined, code, reason });
  }
}
