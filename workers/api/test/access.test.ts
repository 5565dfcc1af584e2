// The access rules of every operator and company route, tried as an attacker would: no credential,
// other credentials the API hands out, a dashboard user of another company, a member whose role
// lacks the permission, the users of a suspended company. The routes come from the catalogue, and
// the last test fails when the app serves an /api/admin route the catalogue does not describe.
import { companyPermissions, type RouteContract, routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { honoPath } from "../src/lib/route.ts";
import { operations } from "../src/routes/index.ts";
import { call, callAsOperator, expectError, json, registerCompany, validatedMachine } from "./helpers.ts";
import { authCall, companyMember, companyOwner, operatorSession } from "./users.ts";

const heartbeatOf = (companyCode: string, token: string) =>
  call("/api/company/heartbeat", {
    token,
    body: { company_code: companyCode, machine_id: "b-machine", app_version: "1.0.0" },
  });

// The tests below walk every route of the catalogue with several callers each; the catalogue grows.
const ROUTE_WALK_TIMEOUT_MS = 60_000;
const FAKE_ID = "00000000-0000-7000-8000-000000000000";
const adminRoutes = (Object.values(routes) as RouteContract[]).filter(
  (route) => route.auth === "operator" || route.auth === "company",
);
const companyRoutes = adminRoutes.filter((route) => route.auth === "company");
const operatorRoutes = adminRoutes.filter((route) => route.auth === "operator");

function request(route: RouteContract, companyId = FAKE_ID) {
  return {
    path: route.path.replace("{companyId}", companyId).replace(/\{\w+\}/g, FAKE_ID),
    method: route.method.toUpperCase(),
    body: route.method === "get" ? undefined : {},
  };
}

async function statusFor(route: RouteContract, headers: Record<string, string>, companyId?: string) {
  const { path, method, body } = request(route, companyId);
  return call(path, { method, body, headers });
}

describe("access to /api/admin", () => {
  it("describes every route", () => {
    expect(operatorRoutes.length).toBeGreaterThanOrEqual(20);
    expect(companyRoutes.length).toBeGreaterThanOrEqual(8);
    for (const route of companyRoutes) {
      expect(route.path, route.path).toContain("{companyId}");
      expect(route.permission, route.path).toBeDefined();
    }
  });

  it("refuses callers without a credential, with a wrong secret, or with an installation token (401)", {
    timeout: ROUTE_WALK_TIMEOUT_MS,
  }, async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "m");
    for (const route of adminRoutes) {
      const { path, method, body } = request(route);
      const anonymous = await call(path, { method, body });
      expect(anonymous.headers.get("www-authenticate"), path).toContain("Bearer");
      await expectError(anonymous, 401, "UNAUTHORIZED");
      await expectError(
        await call(path, { method, body, token: "wrong-secret-of-the-same-length-as-real" }),
        401,
        "UNAUTHORIZED",
      );
      // Routes open to installations treat another company's installation as a stranger (404).
      const asInstallation = await call(path, { method, body, token: installation.token });
      if (route.installations) await expectError(asInstallation, 404, "COMPANY_NOT_FOUND");
      else await expectError(asInstallation, 401, "UNAUTHORIZED");
    }
  });

  it("lets an installation call the routes marked for installations, in its own company, while it holds a seat", {
    timeout: ROUTE_WALK_TIMEOUT_MS,
  }, async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "app-pc");
    const installationRoutes = companyRoutes.filter((route) => route.installations);
    expect(installationRoutes.length).toBeGreaterThan(0);
    for (const route of installationRoutes) {
      // The library only: documents, and search, which answers an installation with library documents
      // alone (services/search/visibility.ts; search-company.permissions.test.ts tries the rest).
      expect(["documents", "search"], route.path).toContain(route.permission?.resource);
      const allowed = await statusFor(
        route,
        { authorization: `Bearer ${installation.token}` },
        company.company_id,
      );
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(allowed.status);
    }
    const [sample] = installationRoutes.filter((route) => route.method === "get");
    if (!sample) throw new Error("no GET route for installations");
    await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${installation.id}/deactivate`,
      { method: "POST" },
    );
    await expectError(
      await statusFor(sample, { authorization: `Bearer ${installation.token}` }, company.company_id),
      403,
      "INSTALLATION_DEACTIVATED",
    );
  });

  it("keeps operator routes to operators: a company's owner gets 403, an operator's session gets in", {
    timeout: ROUTE_WALK_TIMEOUT_MS,
  }, async () => {
    const company = await registerCompany({ admin_email: "owner@a.example" });
    const owner = await companyOwner(company.company_id, "owner@a.example");
    const operator = await operatorSession();
    for (const route of operatorRoutes) {
      await expectError(await statusFor(route, { cookie: owner }, company.company_id), 403, "FORBIDDEN");
      const asOperator = await statusFor(route, { cookie: operator }, company.company_id);
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(asOperator.status);
    }
  });

  it("scopes company routes: other companies' users get 404, members without the permission 403, suspended companies 403", {
    timeout: ROUTE_WALK_TIMEOUT_MS,
  }, async () => {
    const a = await registerCompany({ admin_email: "owner@a.example" });
    const b = await registerCompany({ admin_email: "owner@b.example" });
    const ownerA = await companyOwner(a.company_id, "owner@a.example");
    const ownerB = await companyOwner(b.company_id, "owner@b.example");
    // A custom role that can only read telemetry: every other company route needs more.
    const role = await authCall("/organization/create-role", {
      body: { organizationId: a.company_id, role: "telemetry_viewer", permission: { telemetry: ["read"] } },
      cookie: ownerA,
    });
    expect(role.status, await role.clone().text()).toBe(200);
    const viewer = await companyMember(ownerA, a.company_id, "viewer@a.example", "telemetry_viewer");
    const newKey = async (companyId: string, permissions: Record<string, string[]>) =>
      (
        await json<{ key: string }>(
          await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
            body: { name: "k", permissions },
          }),
        )
      ).key;
    const everything = Object.fromEntries(
      Object.entries(companyPermissions)
        .filter(([resource]) => resource !== "api_keys")
        .map(([resource, actions]) => [resource, [...actions]]),
    );
    const keyA = await newKey(a.company_id, everything);
    const keyB = await newKey(b.company_id, everything);
    const narrowKeyA = await newKey(a.company_id, { telemetry: ["read"] });

    for (const route of companyRoutes) {
      const name = `${route.method} ${route.path}`;
      // B's owner on A's company: A does not exist for them.
      await expectError(await statusFor(route, { cookie: ownerB }, a.company_id), 404, "COMPANY_NOT_FOUND");
      const telemetryReader =
        route.permission?.resource === "telemetry" && route.permission.action === "read";
      if (telemetryReader) {
        expect([401, 403], name).not.toContain(
          (await statusFor(route, { cookie: viewer }, a.company_id)).status,
        );
      } else await expectError(await statusFor(route, { cookie: viewer }, a.company_id), 403, "FORBIDDEN");
      await expectError(
        await statusFor(route, { authorization: `Bearer ${keyB}` }, a.company_id),
        404,
        "COMPANY_NOT_FOUND",
      );
      const byNarrowKey = await statusFor(route, { authorization: `Bearer ${narrowKeyA}` }, a.company_id);
      if (telemetryReader) expect([401, 403], name).not.toContain(byNarrowKey.status);
      else await expectError(byNarrowKey, 403, "FORBIDDEN");
      const byKey = await statusFor(route, { authorization: `Bearer ${keyA}` }, a.company_id);
      // Keys never hold api_keys permissions, so the key routes stay closed to them.
      if (route.permission?.resource === "api_keys") expect(byKey.status, name).toBe(403);
      else expect([401, 403], name).not.toContain(byKey.status);
      const allowed = await statusFor(route, { cookie: ownerA }, a.company_id);
      expect([401, 403], name).not.toContain(allowed.status);
      if (allowed.status === 404)
        expect((await allowed.json<{ error: { code: string } }>()).error.code).not.toBe("COMPANY_NOT_FOUND");
    }

    await callAsOperator(`/api/admin/companies/${a.company_id}/suspend`, { body: { reason: "unpaid" } });
    for (const route of companyRoutes) {
      await expectError(await statusFor(route, { cookie: ownerA }, a.company_id), 403, "COMPANY_SUSPENDED");
      await expectError(
        await statusFor(route, { authorization: `Bearer ${keyA}` }, a.company_id),
        403,
        "COMPANY_SUSPENDED",
      );
    }
    // Operators still manage a suspended company.
    expect((await callAsOperator(`/api/admin/companies/${a.company_id}`)).status).toBe(200);
  });

  it("answers 404 for another company's ids inside a company's own paths", {
    timeout: ROUTE_WALK_TIMEOUT_MS,
  }, async () => {
    const a = await registerCompany({ admin_email: "owner@ids-a.example" });
    const b = await registerCompany({ admin_email: "owner@ids-b.example" });
    const ownerA = await companyOwner(a.company_id, "owner@ids-a.example");
    const ownerB = await companyOwner(b.company_id, "owner@ids-b.example");
    const machineB = await validatedMachine(b.company_code, "b-machine");
    const keyB = await json<{ api_key: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${b.company_id}/api-keys`, {
        body: { name: "b", permissions: { telemetry: ["read"] } },
      }),
    );
    const membersB = await json<{ members: { id: string }[] }>(
      await call(`/api/admin/companies/${b.company_id}/members`, { headers: { cookie: ownerB } }),
    );
    const inA = `/api/admin/companies/${a.company_id}`;
    const headers = { cookie: ownerA };
    await expectError(
      await call(`${inA}/installations/${machineB.installation.id}/deactivate`, {
        method: "POST",
        headers,
        body: {},
      }),
      404,
      "INSTALLATION_NOT_FOUND",
    );
    await expectError(
      await call(`${inA}/api-keys/${keyB.api_key.id}/revoke`, { method: "POST", headers }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await call(`${inA}/members/${membersB.members[0]?.id}/remove`, { method: "POST", headers }),
      404,
      "NOT_FOUND",
    );
    // Nothing of B changed.
    expect((await heartbeatOf(b.company_code, machineB.installation.token)).status).toBe(200);
  });

  it("mounts every catalogue operation once, from its entry, and nothing else under /api/admin", () => {
    const mounted = operations.map((operation) => operation.contract);
    expect(new Set(mounted).size, "an operation mounted twice").toBe(mounted.length);
    const unmounted = Object.entries(routes)
      .filter(([, route]) => !mounted.includes(route))
      .map(([id]) => id);
    expect(unmounted, "catalogue entries no operation mounts").toEqual([]);
    const fromEntries = new Set(
      mounted.map((route) => `${route.method.toUpperCase()} ${honoPath(route.path)}`),
    );
    const served = createApp()
      .routes.filter((route) => route.path.startsWith("/api/admin/") && route.method !== "ALL")
      .map((route) => `${route.method} ${route.path}`);
    expect(served.filter((route) => !fromEntries.has(route))).toEqual([]);
  });

  it("makes a caller prove who they are before saying an /api/admin path does not exist", async () => {
    await expectError(await call("/api/admin/no-such-thing"), 401, "UNAUTHORIZED");
    await expectError(await callAsOperator("/api/admin/no-such-thing"), 404, "NOT_FOUND");
  });
});
