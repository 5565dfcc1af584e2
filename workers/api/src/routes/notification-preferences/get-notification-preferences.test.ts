import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { callAs, notificationsPath, notifyCompany } from "./fixtures.ts";

describe("GET …/notifications/preferences", () => {
  it("answers the caller's own settings: everything on by default, with the company's categories", async () => {
    const s = await notifyCompany("prefs-get");
    const response = await callAs(s.member, `${notificationsPath(s.companyId)}/preferences`);
    expect(response.status, await response.clone().text()).toBe(200);
    const body = await json<{
      recipient_key: string;
      time_zone: string;
      quiet_start: string | null;
      preferences: unknown[];
      categories: { category: string; critical: boolean; workflows: string[] }[];
      channels: string[];
    }>(response);
    expect(body.recipient_key).toBe(`user:${s.memberId}`);
    expect(body.time_zone).toBe("UTC");
    expect(body.quiet_start).toBeNull();
    expect(body.preferences).toEqual([]);
    expect(body.channels).toEqual(["email", "sms", "push", "in_app"]);
    expect(body.categories.find((c) => c.workflows.includes("project.assigned"))).toBeDefined();
  });

  it("is a signed-in user's own: operators are told so, and a stranger's company does not exist", async () => {
    const s = await notifyCompany("prefs-get-who");
    await expectError(
      await callAsOperator(`${notificationsPath(s.companyId)}/preferences`),
      403,
      "FORBIDDEN",
    );
    const other = await notifyCompany("prefs-get-other", { member: false });
    await expectError(
      await callAs(other.member, `${notificationsPath(s.companyId)}/preferences`),
      404,
      "COMPANY_NOT_FOUND",
    );
  });

  it("refuses API keys and installations: they have no preferences of their own", async () => {
    const acme = await registerCompany({ admin_email: "own@prefs-keys.example" });
    const path = `${notificationsPath(acme.company_id)}/preferences`;
    const created = await callAsOperator(`/api/admin/companies/${acme.company_id}/api-keys`, {
      body: { name: "Everything", permissions: { notifications: ["read", "send", "manage"] } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { key } = await json<{ key: string }>(created);
    await expectError(await call(path, { token: key }), 403, "FORBIDDEN");
    const machine = await validatedMachine(acme.company_code, "prefs-machine-1");
    await expectError(await call(path, { token: machine.installation.token }), 401, "UNAUTHORIZED");
  });
});
