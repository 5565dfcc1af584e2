import { env } from "cloudflare:workers";
import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, endpointsPath } from "./fixtures.ts";

describe("creating webhook endpoints", () => {
  it("shows the signing secret once and stores it only encrypted", async () => {
    const company = await registerCompany();
    const created = await createEndpoint(company.company_id);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(created.endpoint).toMatchObject({ enabled: true, secret_prefix: created.secret.slice(0, 12) });
    const listed = await json<{ endpoints: WebhookEndpoint[] }>(
      await callAsOperator(endpointsPath(company.company_id)),
    );
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const row = await env.CENTRAL_DB.prepare("SELECT * FROM webhook_endpoints").first();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));

    const rotated = await json<{ endpoint: WebhookEndpoint; secret: string }>(
      await callAsOperator(`${endpointsPath(company.company_id)}/${created.endpoint.id}/rotate-secret`, {
        body: { overlap_hours: 24 },
      }),
    );
    expect(rotated.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.endpoint.previous_secret_expires_at ?? "")).toBeGreaterThan(
      Date.now() + 23 * 3_600_000,
    );
  });

  it("refuses URLs that could reach internal services", async () => {
    const company = await registerCompany();
    for (const url of [
      "http://hooks.example.com/plain-http",
      "https://localhost/x",
      "https://127.0.0.1/x",
      "https://0x7f.1/x",
      "https://2130706433/x",
      "https://10.1.2.3/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://metadata.internal/x",
      "https://user:pass@hooks.example.com/x",
      "not a url",
    ]) {
      const response = await callAsOperator(endpointsPath(company.company_id), {
        body: { url, event_types: ["installation.activated"] },
      });
      await expectError(response, 422, "WEBHOOK_URL_NOT_ALLOWED");
    }
    await expectError(
      await callAsOperator(endpointsPath(company.company_id), {
        body: { url: "https://hooks.example.com/x", event_types: ["no.such.event"] },
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM webhook_endpoints").first()).toEqual({
      n: 0,
    });
  });
});
