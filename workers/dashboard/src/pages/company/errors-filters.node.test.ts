import { expect, it } from "vitest";
import { hasIssueFilters, issueFiltersFrom, issueFiltersQuery, issueListQuery } from "./errors-filters.ts";

it("reads the view from the address and writes it back", () => {
  const filters = issueFiltersFrom(
    "?status=resolved&release=desktop%401.2.0&platform=electron&project=7&sort=users_seen",
  );
  expect(filters).toEqual({
    status: "resolved",
    release: "desktop@1.2.0",
    platform: "electron",
    projectId: 7,
    sort: "users_seen",
  });
  expect(issueFiltersQuery(filters)).toBe(
    "?status=resolved&release=desktop%401.2.0&platform=electron&project=7&sort=users_seen",
  );
  expect(issueListQuery(filters)).toEqual({
    status: "resolved",
    release: "desktop@1.2.0",
    platform: "electron",
    project_id: 7,
    sort: "users_seen",
  });
});

it("lists unresolved issues by last seen unless told, and every state with status=all", () => {
  const defaults = issueFiltersFrom("");
  expect(defaults).toEqual({ status: "unresolved", sort: "last_seen" });
  expect(issueFiltersQuery(defaults)).toBe("");
  expect(hasIssueFilters(defaults)).toBe(false);
  const all = issueFiltersFrom("?status=all");
  expect(issueListQuery(all).status).toBeUndefined();
  expect(hasIssueFilters(all)).toBe(true);
});

it("drops values the API would refuse", () => {
  expect(issueFiltersFrom(`?status=open&sort=size&project=-3&release=${"x".repeat(201)}`)).toEqual({
    status: "unresolved",
    sort: "last_seen",
  });
  expect(issueFiltersFrom("?project=1.5").projectId).toBeUndefined();
});
