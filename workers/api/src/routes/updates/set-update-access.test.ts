import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { feed, installersFor, publishRelease } from "../../../test/releases.ts";
import { channelFile, joined } from "./fixtures.ts";

describe("channel access and pinning", () => {
  it("grants extra channels per company and pins a company's version", async () => {
    const { company, auth } = await joined();
    await publishRelease("1.0.0");
    await publishRelease("1.1.0", { files: installersFor("1.1.0", 31) });
    await publishRelease("1.2.0-beta.1", { channel: "beta", files: installersFor("1.2.0-beta.1", 32) });
    const granted = await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { channels: ["beta"], pinned_version: "1.0.0" },
    });
    expect(await json(granted)).toMatchObject({ channels: ["stable", "beta"], pinned_version: "1.0.0" });
    expect((await channelFile("latest.yml", auth)).version).toBe("1.0.0");
    expect((await channelFile("beta.yml", auth)).version).toBe("1.0.0");
    // A pinned company cannot fetch a newer installer by name either.
    await expectError(await feed("Nexus-Setup-1.1.0.exe", auth), 404, "FILE_NOT_FOUND");
    await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { pinned_version: null },
    });
    expect((await channelFile("beta.yml", auth)).version).toBe("1.2.0-beta.1");
    const unknown = await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { channels: ["nightly"] },
    });
    await expectError(unknown, 404, "CHANNEL_NOT_FOUND");
  });
});
