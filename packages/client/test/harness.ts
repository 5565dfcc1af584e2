import { env, exports } from "cloudflare:workers";
import { createNexusClient, type FetchLike, type NexusClientOptions } from "../src/index.ts";

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

/** A client against the real worker with fast retries, registering as the operator. */
export function testClient(fetch: FetchLike, overrides: Partial<NexusClientOptions> = {}) {
  return createNexusClient({
    baseUrl: BASE_URL,
    fetch,
    credential: env.NEXUS_ADMIN_SECRET,
    backoff: 1,
    timeoutMs: 5_000,
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
