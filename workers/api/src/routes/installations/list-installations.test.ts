import { describe, expect, it } from "vitest";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
  validateMachine,
} from "../../../test/helpers.ts";

interface InstallationView {
  id: string;
  machine_id: string;
  is_active: boolean;
  deactivated_at: string | null;
}
const admin = callAsOperator;

describe("operator: listing installations", () => {
  it("lists a company's installations with a status filter", async () => {
    const company = await registerCompany();
    const a = await validatedMachine(company.company_code, "a");
    await validatedMachine(company.company_code, "b");
    await admin(`/api/admin/companies/${company.company_id}/installations/${a.installation.id}/deactivate`, {
      method: "POST",
    });
    const list = async (status: string) =>
      (
        await json<{ installations: InstallationView[] }>(
          await admin(`/api/admin/companies/${company.company_id}/installations?status=${status}`),
        )
      ).installations.map((i) => i.machine_id);
    expect(await list("all")).toEqual(["b", "a"]);
    expect(await list("active")).toEqual(["b"]);
    expect(await list("inactive")).toEqual(["a"]);
    await expectError(
      await admin(`/api/admin/companies/${company.company_id}/installations?status=sleepy`),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("searches by hostname, machine id or username, and filters by app version", async () => {
    const company = await registerCompany();
    await validateMachine(company.company_code, "shop_01", {
      hostname: "SHOP-FLOOR-01",
      app_version: "1.4.2",
    });
    await validateMachine(company.company_code, "shopx01", {
      hostname: "OFFICE",
      username: "planner",
      app_version: "1.3.0",
    });
    const list = async (query: string) =>
      (
        await json<{ installations: InstallationView[] }>(
          await admin(`/api/admin/companies/${company.company_id}/installations?${query}`),
        )
      ).installations.map((i) => i.machine_id);
    expect(await list("q=floor")).toEqual(["shop_01"]);
    expect(await list("q=PLANNER")).toEqual(["shopx01"]);
    // `_` is a plain character, not LIKE's any-one-character.
    expect(await list("q=shop_")).toEqual(["shop_01"]);
    expect(await list("app_version=1.3.0")).toEqual(["shopx01"]);
    expect(await list("q=nothing-like-it")).toEqual([]);
  });

  it("answers 404 for an unknown company", async () => {
    await expectError(await admin("/api/admin/companies/nope/installations"), 404, "COMPANY_NOT_FOUND");
  });
});
