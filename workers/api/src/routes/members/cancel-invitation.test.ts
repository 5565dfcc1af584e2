import { describe, expect, it } from "vitest";
import { call, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { authCall, companyOwner, signUp } from "../../../test/users.ts";

describe("canceling invitations", () => {
  it("cancels pending invitations, which then cannot be accepted", async () => {
    const company = await registerCompany({ admin_email: "owner@cancel.example" });
    const owner = await companyOwner(company.company_id, "owner@cancel.example");
    const base = `/api/admin/companies/${company.company_id}/invitations`;
    const { invitation } = await json<{ invitation: { id: string } }>(
      await call(base, { headers: { cookie: owner }, body: { email: "late@cancel.example" } }),
    );
    const canceled = await call(`${base}/${invitation.id}/cancel`, {
      method: "POST",
      headers: { cookie: owner },
    });
    expect((await json<{ invitation: { status: string } }>(canceled)).invitation.status).toBe("canceled");
    const late = await signUp("late@cancel.example");
    const accepted = await authCall("/organization/accept-invitation", {
      body: { invitationId: invitation.id },
      cookie: late,
    });
    expect(accepted.status).toBeGreaterThanOrEqual(400);
    const listed = await json<{ invitations: { status: string }[] }>(
      await call(base, { headers: { cookie: owner } }),
    );
    expect(listed.invitations.map((i) => i.status)).toEqual(["canceled", "accepted"]);
    await expectError(
      await call(`${base}/nope/cancel`, { method: "POST", headers: { cookie: owner } }),
      404,
      "NOT_FOUND",
    );
  });
});
