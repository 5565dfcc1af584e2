// Browser hardening headers (middleware/security-headers.ts): every API answer, errors and
// better-auth's included, and the /docs page with its own policy and a pinned, integrity-checked
// Scalar script (routes/system/docs.ts).
import { describe, expect, it } from "vitest";
import { call, callAsOperator } from "../../test/helpers.ts";
import { DOCS_CONTENT_SECURITY_POLICY, SCALAR_SCRIPT } from "../routes/system/docs.ts";

function expectHardened(response: Response) {
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
}

describe("security headers", () => {
  it("are on JSON answers, errors and better-auth's answers, with a policy that allows nothing", async () => {
    const answers = [
      await call("/health/live"),
      await call("/openapi.json"),
      await callAsOperator("/api/admin/companies"),
      await call("/api/admin/companies"), // 401
      await call("/no/such/route"), // 404
      await call("/api/company/validate", { body: "{not json" }), // 400
      await call("/api/auth/get-session"),
    ];
    for (const response of answers) {
      expectHardened(response);
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it("are on /docs, whose policy runs only the pinned Scalar script, checked by its hash", async () => {
    const response = await call("/docs");
    expect(response.status).toBe(200);
    expectHardened(response);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toBe(DOCS_CONTENT_SECURITY_POLICY);
    const directives = new Map(
      policy.split(";").map((directive) => {
        const [name = "", ...values] = directive.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual([
      SCALAR_SCRIPT.src,
      "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    ]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);

    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts).toEqual([
      '<script id="api-reference" data-url="/openapi.json">',
      `<script src="${SCALAR_SCRIPT.src}" integrity="${SCALAR_SCRIPT.integrity}" crossorigin="anonymous">`,
    ]);
    // An exact version (a bare package URL would follow whatever is published next) and a sha384.
    expect(SCALAR_SCRIPT.src).toMatch(
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\/dist\/browser\/standalone\.js$/,
    );
    expect(SCALAR_SCRIPT.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  });
});
