import { describe, expect, it } from "vitest";
import { BASE_URL, expectError, json, registerCompany, validatedMachine } from "../../../test/helpers.ts";
import { feed, installersFor, publishRelease, sha512Base64 } from "../../../test/releases.ts";

describe("the seed's JSON check", () => {
  it("answers /api/updates/check with the release to run", async () => {
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "check-pc");
    const files = installersFor("1.3.0");
    await publishRelease("1.3.0", { files, mandatory: true, notes: "Notes" });
    const auth = { companyCode: company.company_code, token: machine.installation.token };
    const check = await json<Record<string, unknown>>(await feed("check?version=1.2.0&channel=stable", auth));
    expect(check).toMatchObject({
      success: true,
      update_available: true,
      version: "1.3.0",
      releaseName: "Nexus 1.3.0",
      releaseNotes: "Notes",
      mandatory: true,
      sha512: await sha512Base64(files[0]?.bytes ?? new Uint8Array()),
    });
    expect(String(check.url)).toBe(
      `${BASE_URL}/api/updates/download/Nexus-Setup-1.3.0.exe?company_code=${company.company_code}`,
    );
    const current = await json<Record<string, unknown>>(
      await feed("check?version=1.3.0&channel=latest", auth),
    );
    expect(current.update_available).toBe(false);
    await expectError(await feed("check?version=1.3.0&channel=beta", auth), 403, "CHANNEL_NOT_ALLOWED");
  });
});
