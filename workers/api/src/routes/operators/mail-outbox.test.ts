import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner, signUp } from "../../../test/users.ts";

describe("the mail outbox", () => {
  it("shows operators the newest mail first, up to the limit, and nobody else", async () => {
    const company = await registerCompany({ admin_email: "owner@outbox.example" });
    const owner = await companyOwner(company.company_id, "owner@outbox.example");
    await signUp("gina@outbox.example");
    await signUp("hank@outbox.example");
    const latest = await json<{ mail: { to: string; subject: string }[] }>(
      await callAsOperator("/api/admin/mail-outbox?limit=1"),
    );
    expect(latest.mail.map((mail) => mail.to)).toEqual(["hank@outbox.example"]);
    // The outbox holds other people's sign-in links: a company's owner must not read it.
    await expectError(await call("/api/admin/mail-outbox", { headers: { cookie: owner } }), 403, "FORBIDDEN");
  });
});
