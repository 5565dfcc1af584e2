import { describe, expect, it } from "vitest";
import {
  alertDetailEntries,
  alertFiltersFrom,
  alertFiltersQuery,
  alertListQuery,
} from "./operator-alerts-filters.ts";

describe("operator alert filters", () => {
  it("show the open alerts unless the address says otherwise", () => {
    expect(alertFiltersFrom("")).toEqual({ status: "open" });
    expect(alertFiltersFrom("?status=any&kind=tenant_pool_low")).toEqual({
      status: "any",
      kind: "tenant_pool_low",
    });
    expect(alertFiltersFrom("status=closed&kind=nope")).toEqual({ status: "open" });
  });

  it("round-trip through the address and become the API's query", () => {
    for (const search of [
      "",
      "?status=resolved",
      "?status=any&kind=webhooks_failing",
      "?kind=dead_letters_growing",
    ]) {
      expect(alertFiltersQuery(alertFiltersFrom(search))).toBe(search);
    }
    expect(alertListQuery({ status: "any", kind: "tenant_pool_low" })).toEqual({
      status: undefined,
      kind: "tenant_pool_low",
    });
    expect(alertListQuery({ status: "resolved" })).toEqual({ status: "resolved", kind: undefined });
  });

  it("label the figures a check saw", () => {
    expect(alertDetailEntries({ free: 1, threshold: 2, company_id: "c1", list: [1] })).toEqual([
      ["free", "1"],
      ["threshold", "2"],
      ["company id", "c1"],
      ["list", "[1]"],
    ]);
  });
});
