// Listing showrooms: by name, with who works in each, and only the company's own.
import type { Showroom } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { showroom, userId } from "../projects/fixtures.ts";

describe("listing showrooms", () => {
  it("orders them by name with their staff, and shows one company's showrooms to no other", async () => {
    const acme = await registerCompany({ admin_email: "owner@list-rooms.example" });
    const cookie = await companyOwner(acme.company_id, "owner@list-rooms.example");
    const owner = await userId("owner@list-rooms.example");
    await showroom(acme.company_id, { name: "York" });
    await showroom(acme.company_id, { name: "Leeds", member_ids: [owner] });
    const path = (companyId: string) => `/api/admin/companies/${companyId}/showrooms`;
    const { showrooms } = await json<{ showrooms: Showroom[] }>(
      await call(path(acme.company_id), { headers: { cookie } }),
    );
    expect(showrooms.map((room) => [room.name, room.member_ids])).toEqual([
      ["Leeds", [owner]],
      ["York", []],
    ]);
    const rival = await registerCompany();
    const listed = await json<{ showrooms: Showroom[] }>(await callAsOperator(path(rival.company_id)));
    expect(listed.showrooms).toEqual([]);
    // The owner of Acme is no member of the rival.
    await expectError(await call(path(rival.company_id), { headers: { cookie } }), 404, "COMPANY_NOT_FOUND");
  });
});
