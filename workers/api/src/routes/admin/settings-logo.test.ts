// The company logo in settings (`logo_url`, packages/contracts/src/shared/logo.ts) and a showroom's logo
// (`branding.logo_url`, the same rule): what the routes take and refuse, and that the apps get the
// company's back (validate, the live channel).
import { env } from "cloudflare:workers";
import type { Company, Showroom, ValidateResponse } from "@nexus/contracts";
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

const dataUrl = (mediaType: string, content: string) => `data:${mediaType};base64,${btoa(content)}`;
const PNG = dataUrl("image/png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
const JPEG = dataUrl("image/jpeg", "\xff\xd8\xff\xe0\0\x10JFIF\0");
const WEBP = dataUrl("image/webp", "RIFF\x10\0\0\0WEBPVP8 ");

/** SVG logos that the earlier markup filter let through; SVG data URLs are refused now, all of them. */
const SVG_ATTACKS = [
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="&#106;avascript:alert(1)"><rect width="9" height="9"/></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="&#x6A;avascript:alert(1)"/><text y="20">logo</text></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="java&#x73;cript:alert(1)"/><text y="20">logo</text></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><svg/onload=alert(1)></svg></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/pixel.png" width="1" height="1"/></svg>',
].flatMap((svg) => [dataUrl("image/svg+xml", svg), `data:image/svg+xml,${encodeURIComponent(svg)}`]);
/** Schemes no logo field takes. */
const BAD_SCHEMES = [
  "javascript:alert(1)",
  "&#106;avascript:alert(1)",
  dataUrl("text/html", "<script>alert(1)</script>"),
  "data:text/html,<script>alert(1)</script>",
  "http://cdn.example.com/logo.png",
];

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
