// Operators resolve alerts by hand (a condition that still holds raises a new one at the next check);
// companies never see them.
import { env } from "cloudflare:workers";
import type { OperatorAlert } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { checkOperatorAlerts } from "../../services/operator-alerts.ts";

const list = async () =>
  json<{ alerts: OperatorAlert[] }>(await callAsOperator("/api/admin/operator-alerts"));

describe("resolving an operator alert", () => {
  it("are resolved by an operator and hidden from companies", async () => {
    await checkOperatorAlerts({ ...env, TENANT_POOL_LOW_THRESHOLD: "10000" } as Env);
    const [alert] = (await list()).alerts;
    if (!alert) throw new Error("no alert raised");
    const resolved = await callAsOperator(`/api/admin/operator-alerts/${alert.id}/resolve`, {
      method: "POST",
    });
    expect(resolved.status).toBe(200);
    expect((await json<{ alert: OperatorAlert }>(resolved)).alert.status).toBe("resolved");
    await expectError(
      await callAsOperator("/api/admin/operator-alerts/nope/resolve", { method: "POST" }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await callAsOperator("/api/admin/operator-alerts?status=closed"),
      400,
      "VALIDATION_FAILED",
    );

    const company = await registerCompany({ admin_email: "owner@not-operator.example" });
    const cookie = await companyOwner(company.company_id, "owner@not-operator.example");
    await expectError(await call("/api/admin/operator-alerts", { headers: { cookie } }), 403, "FORBIDDEN");
    await expectError(await call("/api/admin/operator-alerts"), 401, "UNAUTHORIZED");
  });
});
