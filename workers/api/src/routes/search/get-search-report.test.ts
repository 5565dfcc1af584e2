// The search report: totals, latency percentiles, the most frequent queries with their clicks and
// the zero-result ones, over the period asked for; the empty query left out; analytics only.
import type { SearchReport } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { logSearchQueries } from "../../../test/search-queries.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin } from "../projects/fixtures.ts";

const reportPath = (companyId: string, query = "") =>
  `/api/admin/companies/${companyId}/search/report${query}`;
const DAY = 24 * 60 * 60 * 1000;

describe("the search report", () => {
  it("counts the period's queries, ranks them, and leaves out older ones and the empty query", async () => {
    const acme = await registerCompany();
    const now = Date.now();
    const clicked = { clickedType: "document" as const, clickedId: "d1", clickedPosition: 0 };
    await logSearchQueries(acme.company_id, [
      // 100 latencies 1..100 ms: nearest-rank p50 is 50, p99 is 99.
      ...Array.from({ length: 97 }, (_, i) => ({
        query: "invoice",
        latencyMs: i + 1,
        createdAt: now - 60_000 + i,
        ...(i < 10 ? clicked : {}),
      })),
      { query: "phnoe", resultCount: 0, latencyMs: 98, createdAt: now - 2 * DAY },
      { query: "phnoe", resultCount: 0, latencyMs: 99, createdAt: now - DAY },
      { query: "zzz", resultCount: 0, latencyMs: 100, createdAt: now - 3000 },
      // Not counted: an empty query, and queries older than the period.
      { query: "", resultCount: 0, latencyMs: 5000 },
      { query: "ancient", resultCount: 0, latencyMs: 9000, createdAt: now - 31 * DAY },
    ]);

    const report = await json<SearchReport>(await callAsOperator(reportPath(acme.company_id)));
    expect(Date.parse(report.since)).toBeGreaterThan(now - 30 * DAY - 60_000);
    expect(Date.parse(report.since)).toBeLessThanOrEqual(Date.now() - 30 * DAY);
    expect(report.totals).toEqual({
      queries: 100,
      zero_result: 3,
      clicked: 10,
      latency_p50_ms: 50,
      latency_p99_ms: 99,
    });
    expect(report.top_queries).toEqual([
      { query: "invoice", count: 97, clicks: 10, last_at: new Date(now - 60_000 + 96).toISOString() },
      { query: "phnoe", count: 2, clicks: 0, last_at: new Date(now - DAY).toISOString() },
      { query: "zzz", count: 1, clicks: 0, last_at: new Date(now - 3000).toISOString() },
    ]);
    expect(report.zero_result_queries).toEqual([
      { query: "phnoe", count: 2, last_at: new Date(now - DAY).toISOString() },
      { query: "zzz", count: 1, last_at: new Date(now - 3000).toISOString() },
    ]);

    // A shorter period and a shorter list.
    const recent = await json<SearchReport>(
      await callAsOperator(reportPath(acme.company_id, "?days=1&limit=1")),
    );
    expect(recent.totals).toMatchObject({ queries: 98, zero_result: 1, clicked: 10 });
    expect(recent.top_queries.map((row) => row.query)).toEqual(["invoice"]);
    expect(recent.zero_result_queries.map((row) => row.query)).toEqual(["zzz"]);
  });

  it("reports an empty period with no latency, and nothing of another company's", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    await logSearchQueries(rival.company_id, [{ query: "secret plans", resultCount: 0 }]);
    const report = await json<SearchReport>(await callAsOperator(reportPath(acme.company_id)));
    expect(report).toMatchObject({
      success: true,
      totals: { queries: 0, zero_result: 0, clicked: 0, latency_p50_ms: null, latency_p99_ms: null },
      top_queries: [],
      zero_result_queries: [],
    });
  });

  it("is for those with search analytics: owners yes, members and installers no", async () => {
    const acme = await registerCompany({ admin_email: "owner@report-acme.example" });
    const owner = await companyOwner(acme.company_id, "owner@report-acme.example");
    const member = await companyMember(owner, acme.company_id, "sales@report-acme.example", "member");
    const installer = await companyMember(owner, acme.company_id, "fitter@report-acme.example", "installer");
    await logSearchQueries(acme.company_id, [{ query: "boiler" }]);
    const owned = await authCallAdmin(reportPath(acme.company_id), undefined, owner, "GET");
    expect((await json<SearchReport>(owned)).totals.queries).toBe(1);
    for (const cookie of [member, installer]) {
      await expectError(
        await authCallAdmin(reportPath(acme.company_id), undefined, cookie, "GET"),
        403,
        "FORBIDDEN",
      );
    }
  });

  it("refuses a period outside 1 to 90 days and a list longer than 100", async () => {
    const acme = await registerCompany();
    for (const query of ["?days=0", "?days=91", "?limit=101", "?days=week"]) {
      await expectError(await callAsOperator(reportPath(acme.company_id, query)), 400, "VALIDATION_FAILED");
    }
  });
});
