import { type Company, routes } from "@nexus/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { StandInError, type StandInServer, startStandInServer } from "../testing/stand-in-server.ts";
import { runCli, usageErrorOf } from "../testing/test-helpers.ts";
import type { SearchIndexStatus } from "./search-index.ts";

const SECRET = "operator-secret-operator-secret-00";
const ENTRIES = { project: 2, client: 2, activity: 1, document: 0, machine: 3, member: 1, showroom: 1 };

interface TestCompany {
  id: string;
  /** The answer's error code instead of an index (an external database, a broken one). */
  error?: "TENANT_DATABASE_EXTERNAL" | "SERVICE_UNAVAILABLE";
  integrity?: SearchIndexStatus["integrity"];
  ownDatabase?: boolean;
}

/** A company as the list answers it (the CLI checks the whole answer against the contract). */
const companyView = (id: string): Company => ({
  id,
  company_code: id.toUpperCase(),
  company_name: `Company ${id}`,
  admin_email: `admin@${id}.example`,
  admin_phone: null,
  subscription_status: "active",
  subscription_tier: "standard",
  max_users: 10,
  max_installations: 10,
  active_installations: 0,
  settings: {},
  settings_version: 1,
  update_channel: "stable",
  minimum_app_version: null,
  database_provider: "d1",
  suspended: false,
  suspended_reason: null,
  expires_at: null,
  stripe_customer_id: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
});

let api: StandInServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The API's operator routes for companies and their indexes; the list comes in pages of two. */
async function startApi(companies: TestCompany[]) {
  const server = await startStandInServer({
    authorize(request) {
      if (request.headers.get("authorization") !== `Bearer ${SECRET}`) {
        throw new StandInError("UNAUTHORIZED", "Missing or invalid admin credentials");
      }
    },
  });
  server.on(routes.listCompanies, async (request) => {
    const start = Number(new URL(request.url).searchParams.get("cursor") ?? 0);
    const page = companies.slice(start, start + 2).map((company) => ({
      ...companyView(company.id),
      database_provider: company.ownDatabase ? "custom" : "d1",
    }));
    const next = start + 2 < companies.length ? String(start + 2) : null;
    return { status: 200, body: { success: true, companies: page, next_cursor: next } };
  });
  const answer = (present: boolean) => async (_: Request, params: Record<string, string>) => {
    const company = companies.find((c) => c.id === params.companyId);
    if (!company) throw new StandInError("COMPANY_NOT_FOUND", "This company does not exist.");
    if (company.error) throw new StandInError(company.error, "Not here.");
    const status: SearchIndexStatus = {
      success: true,
      present,
      entries: ENTRIES,
      integrity: present ? (company.integrity ?? "ok") : "missing",
      took_ms: 12.4,
    };
    return { status: 200, body: status };
  };
  server.on(routes.getSearchIndex, answer(true));
  server.on(routes.rebuildSearchIndex, answer(true));
  server.on(routes.dropSearchIndex, answer(false));
  api = server;
  return server;
}

const ENTRIES_TEXT = "project 2, client 2, activity 1, document 0, machine 3, member 1, showroom 1";
const env = { NEXUS_ADMIN_SECRET: SECRET };

describe("search status|rebuild|drop", () => {
  it("works on one company and says what comes next after a drop", async () => {
    const server = await startApi([{ id: "cmp_acme" }]);
    const status = await runCli(["search", "status", "--company", "cmp_acme", "--url", server.url], {
      env,
      cwd: "/",
    });
    expect(status).toEqual({
      code: 0,
      stdout: `Search index of cmp_acme: integrity ok; ${ENTRIES_TEXT} (12 ms)\n`,
      stderr: "",
    });
    const dropped = await runCli(["search", "drop", "--company", "cmp_acme", "--url", server.url], {
      env,
      cwd: "/",
    });
    expect(dropped.stdout).toBe(
      `Search index of cmp_acme: dropped; ${ENTRIES_TEXT} (12 ms)\n` +
        "Search answers SEARCH_INDEX_MISSING until `nexus search rebuild --company cmp_acme` (after the export).\n",
    );
    const rebuilt = await runCli(
      ["search", "rebuild", "--company", "cmp_acme", "--url", server.url, "--json"],
      {
        env,
        cwd: "/",
      },
    );
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ present: true, integrity: "ok", entries: ENTRIES });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/admin/companies/cmp_acme/search/index",
      "DELETE /api/admin/companies/cmp_acme/search/index",
      "POST /api/admin/companies/cmp_acme/search/index/rebuild",
    ]);
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${SECRET}`]));
  });

  it("exits 1 with a hint when the integrity check fails", async () => {
    const server = await startApi([{ id: "cmp_acme", integrity: "failed" }]);
    const result = await runCli(["search", "status", "--company", "cmp_acme", "--url", server.url], {
      env,
      cwd: "/",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("integrity failed");
    expect(result.stdout).toContain("Repair it with `nexus search rebuild --company cmp_acme`.");
  });

  it("walks every company with --all, one progress line each, and carries on past failures", async () => {
    const server = await startApi([
      { id: "cmp_a" },
      { id: "cmp_b", error: "TENANT_DATABASE_EXTERNAL" },
      { id: "cmp_c", error: "SERVICE_UNAVAILABLE" },
      { id: "cmp_d" },
      { id: "cmp_e", ownDatabase: true },
    ]);
    const result = await runCli(["search", "rebuild", "--all", "--url", server.url], { env, cwd: "/" });
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")).toEqual([
      `[1/5] cmp_a: integrity ok; ${ENTRIES_TEXT} (12 ms)`,
      "[2/5] cmp_b: skipped (TENANT_DATABASE_EXTERNAL)",
      "[3/5] cmp_c: failed: SERVICE_UNAVAILABLE: Not here. (HTTP 503, request id req_6)",
      `[4/5] cmp_d: integrity ok; ${ENTRIES_TEXT} (12 ms)`,
      "[5/5] cmp_e: skipped (own database)",
      "5 companies, 1 failed.",
      "",
    ]);
    // Three pages of the company list, then one request per company.
    expect(server.requests.filter((r) => r.path === "/api/admin/companies").map((r) => r.search)).toEqual([
      "?limit=200",
      "?limit=200&cursor=2",
      "?limit=200&cursor=4",
    ]);
  });

  it("prints the API's error for a single company and exits non-zero", async () => {
    const server = await startApi([]);
    const result = await runCli(["search", "status", "--company", "cmp_nope", "--url", server.url], {
      env,
      cwd: "/",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: COMPANY_NOT_FOUND: This company does not exist\. \(HTTP 404/);
  });

  it("needs exactly one of --company and --all, and the admin secret", async () => {
    expect(await usageErrorOf(["search", "status"], { env, cwd: "/" })).toContain(
      "search status needs either --company <companyId> or --all",
    );
    expect(await usageErrorOf(["search", "drop", "--company", "x", "--all"], { env, cwd: "/" })).toContain(
      "search drop needs either --company <companyId> or --all",
    );
    expect(await usageErrorOf(["search", "rebuild", "--all"], { env: {}, cwd: "/" })).toContain(
      "set NEXUS_ADMIN_SECRET or pass --admin-secret",
    );
    expect(await usageErrorOf(["search", "rebuild", "--all", "--tag", "x"], { env, cwd: "/" })).toContain(
      "search rebuild does not take --tag",
    );
  });
});
