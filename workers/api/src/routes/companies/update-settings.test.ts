// The company logo in settings (`logo_url`, packages/contracts/src/shared/logo.ts): what the route
// takes and refuses, and that the apps get it back (validate, the live channel).
import { env } from "cloudflare:workers";
import type { Company, ValidateResponse } from "@nexus/contracts";
import { LOGO_DATA_URL_MAX_LENGTH } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  callAsOperator,
  expectError,
  issuePaths,
  json,
  openLive,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { BAD_SCHEMES, dataUrl, JPEG, PNG, SVG_ATTACKS, WEBP } from "../../../test/logos.ts";

const admin = callAsOperator;

describe("operator: company settings", () => {
  it("merges settings, deletes keys set to null, replaces on request, and bumps the version each time", async () => {
    const company = await registerCompany();
    const put = (body: unknown) =>
      admin(`/api/admin/companies/${company.company_id}/settings`, { method: "PUT", body });
    const first = await json<{ company: Company }>(await put({ settings: { theme: "dark", locale: "de" } }));
    expect(first.company).toMatchObject({ settings: { theme: "dark", locale: "de" }, settings_version: 2 });
    const merged = await json<{ company: Company }>(
      await put({ settings: { locale: null, units: "metric" } }),
    );
    expect(merged.company.settings).toEqual({ theme: "dark", units: "metric" });
    const replaced = await json<{ company: Company }>(
      await put({ settings: { only: true }, mode: "replace" }),
    );
    expect(replaced.company).toMatchObject({ settings: { only: true }, settings_version: 4 });
    await expectError(await put({ settings: "dark" }), 400, "VALIDATION_FAILED");
  });
});

const putSettings = (companyId: string, settings: Record<string, unknown>) =>
  callAsOperator(`/api/admin/companies/${companyId}/settings`, { method: "PUT", body: { settings } });

describe("settings: logo_url", () => {
  it("takes an https URL and small PNG, JPEG and WebP data URLs, and null removes it", async () => {
    const company = await registerCompany();
    for (const logo of ["https://cdn.example.com/acme/logo.png", PNG, JPEG, WEBP]) {
      const response = await putSettings(company.company_id, { logo_url: logo, primary_color: "#0f766e" });
      expect(response.status, await response.clone().text()).toBe(200);
      const { company: saved } = await json<{ company: Company }>(response);
      expect(saved.settings).toEqual({ logo_url: logo, primary_color: "#0f766e" });
    }
    const removed = await json<{ company: Company }>(
      await putSettings(company.company_id, { logo_url: null }),
    );
    expect(removed.company.settings).toEqual({ primary_color: "#0f766e" });
  });

  it("refuses other URLs, other image types, bytes that are not the declared type and large logos", async () => {
    const company = await registerCompany();
    const refused = [
      "http://cdn.example.com/logo.png",
      "https://user:secret@cdn.example.com/logo.png",
      "javascript:alert(1)",
      "not a url",
      " https://cdn.example.com/logo.png",
      dataUrl("image/gif", "GIF89a"),
      dataUrl("text/html", "<p>hi</p>"),
      dataUrl("image/png", "<svg></svg>"),
      dataUrl("image/svg+xml", "<svg onload='alert(1)'></svg>"),
      dataUrl("image/svg+xml", "<svg><script>alert(1)</script></svg>"),
      dataUrl("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'),
      ...SVG_ATTACKS,
      ...BAD_SCHEMES,
      `data:image/png;base64,${btoa(`\x89PNG\r\n\x1a\n${"x".repeat(LOGO_DATA_URL_MAX_LENGTH)}`)}`,
      42,
    ];
    for (const logo of refused) {
      const error = await expectError(
        await putSettings(company.company_id, { logo_url: logo }),
        400,
        "VALIDATION_FAILED",
      );
      expect(issuePaths(error)).toEqual(["settings.logo_url"]);
    }
    const unchanged = await json<{ company: Company }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}`),
    );
    expect(unchanged.company).toMatchObject({ settings: {}, settings_version: 1 });
  });

  it("still answers with a logo_url stored before the key was checked (only writes are checked)", async () => {
    const company = await registerCompany();
    await env.CENTRAL_DB.prepare("UPDATE companies SET settings = ? WHERE id = ?")
      .bind(JSON.stringify({ logo_url: "ftp://old.example/logo.bmp" }), company.company_id)
      .run();
    const read = await callAsOperator(`/api/admin/companies/${company.company_id}`);
    expect(read.status).toBe(200);
    expect((await json<{ company: Company }>(read)).company.settings).toEqual({
      logo_url: "ftp://old.example/logo.bmp",
    });
  });

  it("reaches the apps: in the validate answer and in the live settings message", async () => {
    const company = await registerCompany();
    const joined = await validatedMachine(company.company_code, "logo-machine-1");
    const live = await openLive({ query: `?token=${joined.installation.token}` });
    await live.next("welcome");
    await putSettings(company.company_id, { logo_url: PNG, primary_color: "#123456" });
    expect(await live.next("settings.changed")).toEqual({
      type: "settings.changed",
      settings_version: 2,
      settings: { logo_url: PNG, primary_color: "#123456" },
    });
    live.ws.close();

    const another = await validatedMachine(company.company_code, "logo-machine-2");
    expect(another).toMatchObject<Partial<ValidateResponse>>({
      settings: { logo_url: PNG, primary_color: "#123456" },
      settings_version: 2,
    });
  });
});
