import { expect, it } from "vitest";
import { callFiltersFrom, callFiltersQuery, hasCallFilters } from "./llm-call-filters.ts";

it("reads the filters from the address and writes them back", () => {
  const filters = callFiltersFrom("?model=default&provider=anthropic&api_key_id=key_1&status=cut");
  expect(filters).toEqual({ model: "default", provider: "anthropic", apiKeyId: "key_1", status: "cut" });
  expect(callFiltersQuery(filters)).toBe("?model=default&provider=anthropic&api_key_id=key_1&status=cut");
});

it("drops values the API would refuse", () => {
  expect(callFiltersFrom(`?provider=azure&status=weird&api_key_id=${"x".repeat(65)}`)).toEqual({});
  expect(hasCallFilters({})).toBe(false);
  expect(callFiltersQuery({})).toBe("");
});
