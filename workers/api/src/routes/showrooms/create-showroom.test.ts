// Adding showrooms: their staff must be members of the company, and a showroom's logo
// (`branding.logo_url`) follows the rule of the company logo in settings
// (packages/contracts/src/shared/logo.ts): what the showroom routes take and refuse.
import type { Showroom } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, issuePaths, json, registerCompany } from "../../../test/helpers.ts";
import { BAD_SCHEMES, JPEG, PNG, SVG_ATTACKS, WEBP } from "../../../test/logos.ts";
import { companyOwner } from "../../../test/users.ts";
import { userId } from "../projects/fixtures.ts";

describe("creating showrooms", () => {
  it("puts the company's members to work there, and refuses users who are not members", async () => {
    const acme = await registerCompany({ admin_email: "owner@rooms.example" });
    await companyOwner(acme.company_id, "owner@rooms.example");
    const owner = await userId("owner@rooms.example");
    const path = `/api/admin/companies/${acme.company_id}/showrooms`;
    const created = await callAsOperator(path, {
      body: { name: "Leeds", type: "trade", member_ids: [owner, owner] },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { showroom } = await json<{ showroom: Showroom }>(created);
    expect(showroom).toMatchObject({ name: "Leeds", type: "trade", member_ids: [owner], address: {} });
    const refused = await expectError(
      await callAsOperator(path, { body: { name: "York", type: "retail", member_ids: ["not-a-member"] } }),
      400,
      "VALIDATION_FAILED",
    );
    expect(refused.details).toEqual({ not_members: ["not-a-member"] });
    const { showrooms } = await json<{ showrooms: Showroom[] }>(await callAsOperator(path));
    expect(showrooms.map((room) => room.name)).toEqual(["Leeds"]);
  });
});

describe("showrooms: branding.logo_url", () => {
  const showrooms = (companyId: string) => `/api/admin/companies/${companyId}/showrooms`;
  const createShowroom = (companyId: string, logo: unknown) =>
    callAsOperator(showrooms(companyId), {
      body: { name: "Leeds", type: "retail", branding: { logo_url: logo, primary_color: null } },
    });

  it("takes what company settings take, up to the same size", async () => {
    const company = await registerCompany();
    const largest = `data:image/png;base64,${btoa(`\x89PNG\r\n\x1a\n${"x".repeat(47_000)}`)}`;
    for (const logo of ["https://cdn.example.com/leeds.png", PNG, JPEG, WEBP, largest, null]) {
      const response = await createShowroom(company.company_id, logo);
      expect(response.status, await response.clone().text()).toBe(201);
      const { showroom } = await json<{ showroom: Showroom }>(response);
      expect(showroom.branding.logo_url).toBe(logo);
    }
  });

  it("refuses SVGs (the filter bypasses included), other schemes and plain http, on create and update", async () => {
    const company = await registerCompany();
    const created = await json<{ showroom: Showroom }>(
      await createShowroom(company.company_id, "https://cdn.example.com/leeds.png"),
    );
    for (const logo of [...SVG_ATTACKS, ...BAD_SCHEMES]) {
      const error = await expectError(
        await createShowroom(company.company_id, logo),
        400,
        "VALIDATION_FAILED",
      );
      expect(issuePaths(error), logo).toEqual(["branding.logo_url"]);
      const update = await callAsOperator(`${showrooms(company.company_id)}/${created.showroom.id}`, {
        method: "PATCH",
        body: { branding: { logo_url: logo, primary_color: null } },
      });
      expect(issuePaths(await expectError(update, 400, "VALIDATION_FAILED")), logo).toEqual([
        "branding.logo_url",
      ]);
    }
    const svg = await expectError(
      await createShowroom(company.company_id, SVG_ATTACKS[0]),
      400,
      "VALIDATION_FAILED",
    );
    expect(svg.message).toContain("SVG");
    const { showrooms: stored } = await json<{ showrooms: Showroom[] }>(
      await callAsOperator(showrooms(company.company_id)),
    );
    expect(stored.map((room) => room.branding.logo_url)).toEqual(["https://cdn.example.com/leeds.png"]);
  });
});
