import { ErrorEnvelopeSchema } from "@nexus/contracts";
import { expect, it } from "vitest";
import { type ApiService, forwardToApi } from "./forward-to-api.ts";

const DASHBOARD = "https://dashboard.nexus.example";

/** Records what reaches the API and answers 200. */
function apiStandIn(): ApiService & { received: Request[] } {
  const received: Request[] = [];
  return {
    received,
    fetch: async (request) => {
      received.push(request);
      return new Response("{}", { status: 200 });
    },
  };
}

it("forwards the dashboard's own requests unchanged, cookies included", async () => {
  const api = apiStandIn();
  const request = new Request(`${DASHBOARD}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { origin: DASHBOARD, cookie: "better-auth.session_token=abc" },
    body: "{}",
  });
  const response = await forwardToApi(request, api);
  expect(response.status).toBe(200);
  expect(api.received).toEqual([request]);
});

it("forwards requests without an Origin (same-origin GETs, API clients with a bearer token)", async () => {
  const api = apiStandIn();
  await forwardToApi(new Request(`${DASHBOARD}/api/admin/companies`), api);
  expect(api.received).toHaveLength(1);
});

it.each([
  ["another site", "https://evil.example"],
  ["a sibling subdomain", "https://evil.nexus.example"],
  ["another port", "https://dashboard.nexus.example:8443"],
  ["an opaque origin", "null"],
])("refuses requests from %s, WebSocket upgrades included", async (_, origin) => {
  const api = apiStandIn();
  const response = await forwardToApi(
    new Request(`${DASHBOARD}/api/live?company_id=c1`, { headers: { origin, upgrade: "websocket" } }),
    api,
  );
  expect(response.status).toBe(403);
  const envelope = ErrorEnvelopeSchema.parse(await response.json());
  expect(envelope.error.code).toBe("FORBIDDEN");
  expect(response.headers.get("x-request-id")).toBe(envelope.error.request_id);
  expect(api.received).toHaveLength(0);
});
