import { env } from "cloudflare:workers";
import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, endpointsPath } from "./fixtures.ts";

const stored = (id: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT encrypted_secret, previous_encrypted_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = ?",
  )
    .bind(id)
    .first<{
      encrypted_secret: string;
      previous_encrypted_secret: string | null;
      previous_secret_expires_at: number | null;
    }>();

describe("rotating a webhook signing secret", () => {
  it("without overlap, drops the old secret at once; another company's endpoint is not found", async () => {
    const company = await registerCompany();
    const rival = await registerCompany();
    const created = await createEndpoint(company.company_id);
    const before = await stored(created.endpoint.id);
    const path = `${endpointsPath(company.company_id)}/${created.endpoint.id}/rotate-secret`;

    const rotated = await json<{ endpoint: WebhookEndpoint; secret: string }>(
      await callAsOperator(path, { body: { overlap_hours: 0 } }),
    );
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.endpoint).toMatchObject({
      secret_prefix: rotated.secret.slice(0, 12),
      previous_secret_expires_at: null,
    });
    const after = await stored(created.endpoint.id);
    expect(after?.encrypted_secret).not.toBe(before?.encrypted_secret);
    expect(after).toMatchObject({ previous_encrypted_secret: null, previous_secret_expires_at: null });
    expect(JSON.stringify(after)).not.toContain(rotated.secret.slice(6));

    await expectError(
      await callAsOperator(path, { body: { overlap_hours: 24 * 8 } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(`${endpointsPath(rival.company_id)}/${created.endpoint.id}/rotate-secret`, {
        body: {},
      }),
      404,
      "WEBHOOK_ENDPOINT_NOT_FOUND",
    );
    expect((await stored(created.endpoint.id))?.encrypted_secret).toBe(after?.encrypted_secret);
  });
});
