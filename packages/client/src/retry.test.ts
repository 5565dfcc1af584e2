import { describe, expect, it } from "vitest";
import {
  answer,
  companyInput,
  errorEnvelope,
  hangUntilAborted,
  networkFailure,
  rejection,
  scriptedFetch,
  testClient,
} from "../test/harness.ts";
import { NexusApiError, NexusNetworkError, NexusResponseError } from "./index.ts";

const machine = { machine_id: "machine-1", hostname: "DESKTOP-1" };

async function registeredCode(): Promise<string> {
  return (await testClient(scriptedFetch().fetch).register(companyInput())).company_code;
}

describe("retries", () => {
  it("retries network errors and then succeeds", async () => {
    const companyCode = await registeredCode();
    const { fetch, sent } = scriptedFetch(networkFailure, networkFailure);
    const joined = await testClient(fetch).validate({ company_code: companyCode, ...machine });
    expect(joined.success).toBe(true);
    expect(sent).toHaveLength(3);
  });

  it("gives up with NexusNetworkError once the retries are spent", async () => {
    const { fetch, sent } = scriptedFetch(networkFailure, networkFailure, networkFailure);
    const error = await rejection(
      testClient(fetch, { retries: 2 }).validate({ company_code: "ABC", ...machine }),
    );
    expect(error).toBeInstanceOf(NexusNetworkError);
    if (!(error instanceof NexusNetworkError)) return;
    expect(error.attempts).toBe(3);
    expect(error.timedOut).toBe(false);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(sent).toHaveLength(3);
  });

  it("times each attempt out and reports NexusNetworkError after the retries", async () => {
    const { fetch, sent } = scriptedFetch(hangUntilAborted, hangUntilAborted, hangUntilAborted);
    const error = await rejection(
      testClient(fetch, { timeoutMs: 20, retries: 2 }).validate({ company_code: "ABC", ...machine }),
    );
    expect(error).toBeInstanceOf(NexusNetworkError);
    if (!(error instanceof NexusNetworkError)) return;
    expect(error.attempts).toBe(3);
    expect(error.timedOut).toBe(true);
    expect(error.message).toContain("20 ms");
    expect(sent).toHaveLength(3);
  });

  it("times out a fetch that ignores the abort signal", async () => {
    const never = () => new Promise<Response>(() => {});
    const { fetch, sent } = scriptedFetch(never, never);
    const error = await rejection(
      testClient(fetch, { timeoutMs: 20, retries: 1 }).validate({ company_code: "ABC", ...machine }),
    );
    expect(error instanceof NexusNetworkError && error.timedOut).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it("retries a 5xx without the envelope, then reports it as NexusResponseError", async () => {
    const badGateway = answer(502, "<html>Bad gateway</html>", { "content-type": "text/html" });
    const { fetch, sent } = scriptedFetch(badGateway, badGateway, badGateway);
    const error = await rejection(
      testClient(fetch, { retries: 2 }).validate({ company_code: "ABC", ...machine }),
    );
    expect(error).toBeInstanceOf(NexusResponseError);
    expect(error instanceof NexusResponseError && error.status).toBe(502);
    expect(sent).toHaveLength(3);
  });

  it("honours Retry-After on 503", async () => {
    const companyCode = await registeredCode();
    const unavailable = answer(503, errorEnvelope("SERVICE_UNAVAILABLE"), { "retry-after": "1" });
    const { fetch, sent } = scriptedFetch(unavailable);
    const started = Date.now();
    // With backoff 1 ms, only Retry-After can explain a wait of a second.
    const joined = await testClient(fetch, { backoff: 1 }).validate({
      company_code: companyCode,
      ...machine,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(joined.success).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it("retries 429 with Retry-After", async () => {
    const companyCode = await registeredCode();
    const limited = answer(429, errorEnvelope("RATE_LIMITED"), { "retry-after": "0" });
    const { fetch, sent } = scriptedFetch(limited, limited);
    const joined = await testClient(fetch).validate({ company_code: companyCode, ...machine });
    expect(joined.success).toBe(true);
    expect(sent).toHaveLength(3);
  });

  it("does not wait out a Retry-After longer than maxDelayMs, and hands it to the caller", async () => {
    // The real API: with every pooled tenant database taken it answers 503, Retry-After: 300.
    for (let i = 0; i < 8; i++) await registeredCode();
    const { fetch, sent } = scriptedFetch();
    const error = await rejection(testClient(fetch).register(companyInput()));
    expect(error).toBeInstanceOf(NexusApiError);
    if (!(error instanceof NexusApiError)) return;
    expect(error.code).toBe("TENANT_POOL_EXHAUSTED");
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(300_000);
    expect(error.action).toBe("retry");
    expect(sent).toHaveLength(1);
  });

  it("never retries a 400", async () => {
    const { fetch, sent } = scriptedFetch();
    const error = await rejection(
      testClient(fetch).validate({ company_code: "A", machine_id: "", hostname: "h" }),
    );
    expect(error).toBeInstanceOf(NexusApiError);
    expect(error instanceof NexusApiError && error.code).toBe("VALIDATION_FAILED");
    expect(error instanceof NexusApiError && error.status).toBe(400);
    expect(sent).toHaveLength(1);
  });

  it("never retries other 4xx such as 409", async () => {
    const { fetch, sent } = scriptedFetch(answer(409, errorEnvelope("INSTALLATION_LIMIT_REACHED")));
    const error = await rejection(testClient(fetch).validate({ company_code: "ABC", ...machine }));
    expect(error instanceof NexusApiError && error.code).toBe("INSTALLATION_LIMIT_REACHED");
    expect(sent).toHaveLength(1);
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    const { fetch, sent } = scriptedFetch(hangUntilAborted);
    const controller = new AbortController();
    const call = testClient(fetch, { timeoutMs: 60_000 }).validate(
      { company_code: "ABC", ...machine },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("app is quitting")), 10);
    const error = await rejection(call);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof Error && error.message).toBe("app is quitting");
    expect(sent).toHaveLength(1);
  });

  it("stops waiting between retries when the caller aborts", async () => {
    const controller = new AbortController();
    // Fails, then aborts while the client is in its (up to a minute long) backoff.
    const { fetch, sent } = scriptedFetch((input, init) => {
      setTimeout(() => controller.abort(new Error("app is quitting")), 0);
      return networkFailure(input, init);
    });
    const call = testClient(fetch, { backoff: 60_000, maxDelayMs: 60_000 }).validate(
      { company_code: "ABC", ...machine },
      { signal: controller.signal },
    );
    const error = await rejection(call);
    expect(error instanceof Error && error.message).toBe("app is quitting");
    expect(sent).toHaveLength(1);
  });
});
