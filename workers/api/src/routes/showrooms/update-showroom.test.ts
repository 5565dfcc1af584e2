// Changing a showroom: the fields sent change, `member_ids` replaces its staff, and a showroom of
// another company is not found.
import type { Showroom } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { showroom, userId } from "../projects/fixtures.ts";

describe("updating showrooms", () => {
  it("changes what is sent, replaces the staff, and finds no other company's showroom", async () => {
    const acme = await registerCompany({ admin_email: "owner@edit-rooms.example" });
    await companyOwner(acme.company_id, "owner@edit-rooms.example");
    const owner = await userId("owner@edit-rooms.example");
    const id = await showroom(acme.company_id);
    const path = `/api/admin/companies/${acme.company_id}/showrooms/${id}`;
    const renamed = await json<{ showroom: Showroom }>(
      await callAsOperator(path, {
        method: "PATCH",
        body: { name: "Leeds city centre", member_ids: [owner] },
      }),
    );
    expect(renamed.showroom).toMatchObject({
      name: "Leeds city centre",
      type: "retail",
      member_ids: [owner],
    });
    const emptied = await json<{ showroom: Showroom }>(
      await callAsOperator(path, { method: "PATCH", body: { type: "trade", member_ids: [] } }),
    );
    expect(emptied.showroom).toMatchObject({ name: "Leeds city centre", type: "trade", member_ids: [] });
    await expectError(
      await callAsOperator(path, { method: "PATCH", body: { member_ids: ["stranger"] } }),
      400,
      "VALIDATION_FAILED",
    );
    const rival = await registerCompany();
    await expectError(
      await callAsOperator(`/api/admin/companies/${rival.company_id}/showrooms/${id}`, {
        method: "PATCH",
        body: { name: "Mine now" },
      }),
      404,
      "NOT_FOUND",
    );
  });

  it("leaves the fields a change does not name as they were (address, settings, branding, staff)", async () => {
    const acme = await registerCompany({ admin_email: "owner@keep-rooms.example" });
    await companyOwner(acme.company_id, "owner@keep-rooms.example");
    const owner = await userId("owner@keep-rooms.example");
    const id = await showroom(acme.company_id, {
      address: { line1: "1 Briggate", city: "Leeds" },
      settings: { opening_hours: "9-5" },
      branding: { primary_color: "#1e6fd9" },
      member_ids: [owner],
    });
    const renamed = await json<{ showroom: Showroom }>(
      await callAsOperator(`/api/admin/companies/${acme.company_id}/showrooms/${id}`, {
        method: "PATCH",
        body: { name: "Leeds Briggate" },
      }),
    );
    expect(renamed.showroom).toMatchObject({
      name: "Leeds Briggate",
      address: { line1: "1 Briggate", city: "Leeds" },
      settings: { opening_hours: "9-5" },
      branding: { logo_url: null, primary_color: "#1e6fd9" },
      member_ids: [owner],
    });
  });
});
