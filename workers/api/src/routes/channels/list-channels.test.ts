import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";

describe("listing update channels", () => {
  it("lists every channel oldest first, and only to operators", async () => {
    await callAsOperator("/api/admin/channels", { body: { name: "canary", parent: "alpha" } });
    const listed = await json<{ channels: { name: string; parent: string | null; created_at: string }[] }>(
      await callAsOperator("/api/admin/channels"),
    );
    expect(listed.channels.map(({ name, parent }) => [name, parent])).toEqual([
      ["stable", null],
      ["beta", "stable"],
      ["alpha", "beta"],
      ["canary", "alpha"],
    ]);
    expect(listed.channels.every((channel) => !Number.isNaN(Date.parse(channel.created_at)))).toBe(true);

    await expectError(await call("/api/admin/channels"), 401, "UNAUTHORIZED");
    // An installation's token is a credential, but not an operator's.
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "channels-pc");
    await expectError(
      await call("/api/admin/channels", { token: machine.installation.token }),
      401,
      "UNAUTHORIZED",
    );
  });
});
