// Every operator route refuses callers without the operator credential, including holders of other
// credentials the API hands out.
import { routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, registerCompany, validatedMachine } from "../../../test/helpers.ts";

const operatorRoutes = Object.values(routes).filter((route) => route.auth === "adminSecret");

describe("operator routes", () => {
  it("are all covered here", () => {
    expect(operatorRoutes.length).toBeGreaterThanOrEqual(10);
  });

  for (const route of operatorRoutes) {
    const path = route.path.replace(/\{\w+\}/g, "00000000-0000-7000-8000-000000000000");
    const method = route.method.toUpperCase();
    const body = route.method === "get" ? undefined : {};

    it(`${method} ${route.path} needs a credential`, async () => {
      const response = await call(path, { method, body });
      await expectError(response, 401, "UNAUTHORIZED");
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    });

    it(`${method} ${route.path} refuses a wrong secret`, async () => {
      await expectError(
        await call(path, { method, body, token: "wrong-secret-of-the-same-length-as-real" }),
        401,
        "UNAUTHORIZED",
      );
    });

    it(`${method} ${route.path} refuses an installation token`, async () => {
      const company = await registerCompany();
      const { installation } = await validatedMachine(company.company_code, "m");
      await expectError(await call(path, { method, body, token: installation.token }), 401, "UNAUTHORIZED");
    });
  }
});
