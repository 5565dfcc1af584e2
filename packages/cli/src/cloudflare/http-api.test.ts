import { afterEach, describe, expect, it } from "vitest";
import { startLocalServer } from "../testing/http-server.ts";
import { closedLocalUrl, localOnlyFetch } from "../testing/test-helpers.ts";
import { CloudflareApiError } from "./api.ts";
import { cloudflareApiFromEnv, createHttpCloudflareApi } from "./http-api.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function apiAnswering(handle: (request: Request) => Promise<Response>) {
  const server = await startLocalServer(handle);
  closers.push(server.close);
  return createHttpCloudflareApi({
    baseUrl: server.url,
    accountId: "acc",
    apiToken: "tok",
    fetch: localOnlyFetch,
  });
}

describe("HTTP Cloudflare API client", () => {
  it("sends the D1 create the way the API expects it", async () => {
    const seen: { method: string; path: string; auth: string | null; type: string | null; body: unknown }[] =
      [];
    const api = await apiAnswering(async (request) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname,
        auth: request.headers.get("authorization"),
        type: request.headers.get("content-type"),
        body: await request.json(),
      });
      return Response.json({ success: true, errors: [], messages: [], result: { uuid: "u-1", name: "db" } });
    });
    expect(await api.createD1Database("db")).toEqual({ uuid: "u-1", name: "db" });
    expect(seen).toEqual([
      {
        method: "POST",
        path: "/accounts/acc/d1/database",
        auth: "Bearer tok",
        type: "application/json",
        body: { name: "db" },
      },
    ]);
  });

  it("reports a non-JSON answer (say, a proxy's error page) with its status", async () => {
    const api = await apiAnswering(async () => new Response("<html>Bad gateway</html>", { status: 502 }));
    const error = await api.getScriptSettings("w").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).message).toBe(
      "Cloudflare API: read settings of worker w failed (HTTP 502): not a JSON answer: <html>Bad gateway</html>",
    );
  });

  it("treats success:false as an error even with HTTP 200", async () => {
    const api = await apiAnswering(async () =>
      Response.json({
        success: false,
        errors: [{ code: 10013, message: "settings conflict" }],
        messages: [],
      }),
    );
    await expect(api.patchScriptSettings("w", { bindings: [] })).rejects.toThrow(
      "update bindings of worker w failed (HTTP 200): [10013] settings conflict",
    );
  });

  it("rejects a success answer without the expected result", async () => {
    const api = await apiAnswering(async () =>
      Response.json({ success: true, errors: [], messages: [], result: {} }),
    );
    await expect(api.getScriptSettings("w")).rejects.toThrow("the answer has no bindings list");
    await expect(api.createD1Database("x")).rejects.toThrow("the answer has no database uuid");
  });

  it("says where it could not connect", async () => {
    const baseUrl = `${await closedLocalUrl()}/client/v4`;
    const api = createHttpCloudflareApi({
      baseUrl,
      accountId: "acc",
      apiToken: "tok",
      fetch: localOnlyFetch,
    });
    const error = await api.createD1Database("x").catch((e: unknown) => e);
    expect(String(error)).toContain(`create D1 database x failed: could not reach ${baseUrl}: `);
    expect(String(error)).toContain("ECONNREFUSED");
  });

  it("defaults to the public API base URL but never calls it here", async () => {
    const urls: string[] = [];
    const api = cloudflareApiFromEnv({ CLOUDFLARE_ACCOUNT_ID: "acc", CLOUDFLARE_API_TOKEN: "tok" }, (url) => {
      urls.push(url);
      return Promise.reject(new Error("offline"));
    });
    await expect(api.getScriptSettings("w")).rejects.toThrow(
      "could not reach https://api.cloudflare.com/client/v4",
    );
    expect(urls).toEqual(["https://api.cloudflare.com/client/v4/accounts/acc/workers/scripts/w/settings"]);
  });
});
