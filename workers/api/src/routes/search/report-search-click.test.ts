// Reporting a click on a search result: it lands on the company's own logged query (the last click
// wins), an unknown id or another company's is not found, and the body is checked.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, issuePaths, json, registerCompany } from "../../../test/helpers.ts";
import { loggedQuery, logSearchQueries } from "../../../test/search-queries.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin } from "../projects/fixtures.ts";

const clickPath = (companyId: string, queryId: string) =>
  `/api/admin/companies/${companyId}/search/queries/${queryId}/click`;

describe("reporting search clicks", () => {
  it("records the result opened on the logged query, the last click winning", async () => {
    const acme = await registerCompany();
    const [logged] = await logSearchQueries(acme.company_id, [{ query: "invoice", resultCount: 4 }]);
    if (!logged) throw new Error("query not logged");
    expect(logged.clickedId).toBeNull();

    const first = await callAsOperator(clickPath(acme.company_id, logged.id), {
      body: { type: "document", id: "doc-1", position: 2 },
    });
    expect(await json(first)).toEqual({ success: true });
    expect(await loggedQuery(acme.company_id, logged.id)).toMatchObject({
      clickedType: "document",
      clickedId: "doc-1",
      clickedPosition: 2,
      // The click changes nothing the search logged.
      query: "invoice",
      resultCount: 4,
    });

    await callAsOperator(clickPath(acme.company_id, logged.id), {
      body: { type: "project", id: "prj-9", position: 0 },
    });
    expect(await loggedQuery(acme.company_id, logged.id)).toMatchObject({
      clickedType: "project",
      clickedId: "prj-9",
      clickedPosition: 0,
    });
  });

  it("finds no unknown query and none of another company's, which stays unclicked", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const [theirs] = await logSearchQueries(rival.company_id, [{ query: "boiler" }]);
    if (!theirs) throw new Error("query not logged");

    await expectError(
      await callAsOperator(clickPath(acme.company_id, "no-such-query"), {
        body: { type: "project", id: "p", position: 0 },
      }),
      404,
      "SEARCH_QUERY_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(clickPath(acme.company_id, theirs.id), {
        body: { type: "project", id: "p", position: 0 },
      }),
      404,
      "SEARCH_QUERY_NOT_FOUND",
    );
    expect((await loggedQuery(rival.company_id, theirs.id))?.clickedId).toBeNull();
  });

  it("lets anyone who may search report clicks, and no one from another company", async () => {
    const acme = await registerCompany({ admin_email: "owner@click-acme.example" });
    const owner = await companyOwner(acme.company_id, "owner@click-acme.example");
    const installer = await companyMember(owner, acme.company_id, "fitter@click-acme.example", "installer");
    const [logged] = await logSearchQueries(acme.company_id, [{ query: "boiler" }]);
    if (!logged) throw new Error("query not logged");
    const clicked = await authCallAdmin(
      clickPath(acme.company_id, logged.id),
      { type: "project", id: "p1", position: 1 },
      installer,
    );
    expect(clicked.status, await clicked.clone().text()).toBe(200);
    expect((await loggedQuery(acme.company_id, logged.id))?.clickedId).toBe("p1");

    const rival = await registerCompany({ admin_email: "owner@click-rival.example" });
    const stranger = await companyOwner(rival.company_id, "owner@click-rival.example");
    await expectError(
      await authCallAdmin(
        clickPath(acme.company_id, logged.id),
        { type: "project", id: "x", position: 0 },
        stranger,
      ),
      404,
      "COMPANY_NOT_FOUND",
    );
    expect((await loggedQuery(acme.company_id, logged.id))?.clickedId).toBe("p1");
  });

  it("refuses a click that names no result", async () => {
    const acme = await registerCompany();
    const [logged] = await logSearchQueries(acme.company_id, [{ query: "boiler" }]);
    if (!logged) throw new Error("query not logged");
    const refused = await expectError(
      await callAsOperator(clickPath(acme.company_id, logged.id), {
        body: { type: "invoice", id: "", position: -1, extra: true },
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(issuePaths(refused)).toEqual(expect.arrayContaining(["id", "position", "type"]));
    expect((await loggedQuery(acme.company_id, logged.id))?.clickedId).toBeNull();
  });
});
