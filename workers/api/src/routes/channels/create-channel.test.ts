import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { feed, installersFor, publishRelease } from "../../../test/releases.ts";

describe("channels", () => {
  it("lists the three starting channels and adds new ones below a parent", async () => {
    const listed = await json<{ channels: { name: string; parent: string | null }[] }>(
      await callAsOperator("/api/admin/channels"),
    );
    expect(listed.channels.map(({ name, parent }) => [name, parent])).toEqual([
      ["stable", null],
      ["beta", "stable"],
      ["alpha", "beta"],
    ]);
    const created = await callAsOperator("/api/admin/channels", {
      body: { name: "Insiders", parent: "beta" },
    });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ channel: { name: "insiders", parent: "beta" } });
    await expectError(
      await callAsOperator("/api/admin/channels", { body: { name: "insiders" } }),
      409,
      "CHANNEL_EXISTS",
    );
    for (const name of ["latest", "has-hyphen", "9lives", ""]) {
      await expectError(
        await callAsOperator("/api/admin/channels", { body: { name } }),
        400,
        "VALIDATION_FAILED",
      );
    }
    await expectError(
      await callAsOperator("/api/admin/channels", { body: { name: "orphan", parent: "nope" } }),
      404,
      "CHANNEL_NOT_FOUND",
    );
    const unknownChannel = await callAsOperator(
      `/api/admin/companies/${(await registerCompany()).company_id}`,
      {
        method: "PATCH",
        body: { update_channel: "nope" },
      },
    );
    await expectError(unknownChannel, 404, "CHANNEL_NOT_FOUND");
    // An insiders subscriber receives beta and stable releases.
    const company = await registerCompany();
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: "insiders" },
    });
    const machine = await validatedMachine(company.company_code, "insider-pc");
    await publishRelease("5.0.0-beta.1", { channel: "beta", files: installersFor("5.0.0-beta.1", 3) });
    const response = await feed("insiders.yml", {
      companyCode: company.company_code,
      token: machine.installation.token,
    });
    expect(await response.text()).toContain('version: "5.0.0-beta.1"');
  });

  it("keeps operator routes closed without the operator credential", async () => {
    await expectError(await call("/api/admin/releases"), 401, "UNAUTHORIZED");
    await expectError(
      await call("/api/admin/channels", { body: { name: "x" }, token: "wrong" }),
      401,
      "UNAUTHORIZED",
    );
  });
});
