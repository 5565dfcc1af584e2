// search() and reportSearchClick() against the real worker: the request goes to the contract's
// route with the token, the answer is the contract's, the click lands in the company's report, and
// the offline search of the same jobs finds what the server finds.
import { env } from "cloudflare:workers";
import type { Project, SearchReport } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  BASE_URL,
  companyInput,
  rejection,
  scriptedFetch,
  sleep,
  testClient,
  toWorker,
} from "../test/harness.ts";
import { NexusApiError, reportSearchClick, search, searchJobs } from "./index.ts";

const token = () => env.NEXUS_ADMIN_SECRET;

async function asOperator<T>(path: string, body?: unknown): Promise<T> {
  const response = await toWorker(`${BASE_URL}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A company with a showroom and these jobs, created through the API (the index follows in the same write). */
async function companyWithJobs(jobs: { title: string; client: Project["client"] }[]) {
  const company = await testClient(scriptedFetch().fetch).register(companyInput());
  const base = `/api/admin/companies/${company.company_id}`;
  const room = await asOperator<{ showroom: { id: string } }>(`${base}/showrooms`, {
    name: "Leeds",
    type: "retail",
  });
  const projects: Project[] = [];
  for (const job of jobs) {
    const created = await asOperator<{ project: Project }>(`${base}/projects`, {
      ...job,
      showroom_id: room.showroom.id,
    });
    projects.push(created.project);
  }
  return { companyId: company.company_id, base, projects };
}

const JOBS = [
  { title: "Boiler service", client: { name: "Ivy Phone", email: "ivy@example.com" } },
  {
    title: "Kitchen refit",
    client: { name: "Grete Müller", address: { line1: "1 Briggate", city: "Leeds" } },
  },
  { title: "Bathroom refit", client: { name: "Ada Lovelace", email: "ada@example.com" } },
];

describe("search from the apps", () => {
  it("searches the company through the contract's route and reports the click for the report", async () => {
    const { companyId, base, projects } = await companyWithJobs(JOBS);
    const { fetch, sent } = scriptedFetch();
    const options = { baseUrl: BASE_URL, fetch, token: token(), companyId };
    const found = await search({ ...options, request: { q: "kitchen", types: ["project"] } });
    expect(sent[0]).toMatchObject({ method: "POST", url: `${BASE_URL}${base}/search` });
    expect(sent[0]?.headers.get("authorization")).toBe(`Bearer ${token()}`);
    expect(JSON.parse(sent[0]?.body ?? "{}")).toEqual({ q: "kitchen", types: ["project"] });
    expect(found).toMatchObject({ success: true, query: "kitchen", total: 1 });
    expect(found.hits.map((hit) => [hit.type, hit.id])).toEqual([["project", projects[1]?.id]]);
    expect(found.hits[0]?.title).toContain("<mark>Kitchen</mark>");

    // The query is logged after the answer; the click needs its row.
    const report = () => asOperator<SearchReport>(`${base}/search/report`);
    let logged = (await report()).totals.queries;
    for (let i = 0; i < 100 && logged === 0; i++) {
      await sleep(20);
      logged = (await report()).totals.queries;
    }
    expect(logged).toBe(1);
    await reportSearchClick({
      ...options,
      queryId: found.query_id,
      click: { type: "project", id: projects[1]?.id ?? "", position: 0 },
    });
    expect(sent.at(-1)).toMatchObject({
      method: "POST",
      url: `${BASE_URL}${base}/search/queries/${found.query_id}/click`,
    });
    expect((await report()).top_queries).toEqual([
      expect.objectContaining({ query: "kitchen", count: 1, clicks: 1 }),
    ]);
  });

  it("throws the API's refusal as NexusApiError", async () => {
    const { companyId } = await companyWithJobs([]);
    const options = { baseUrl: BASE_URL, fetch: toWorker, token: token(), companyId, retries: 0 };
    const refused = await rejection(
      reportSearchClick({
        ...options,
        queryId: "no-such-query",
        click: { type: "project", id: "p", position: 0 },
      }),
    );
    expect(refused).toBeInstanceOf(NexusApiError);
    expect(refused).toMatchObject({ status: 404, code: "SEARCH_QUERY_NOT_FOUND" });
    const wrongToken = await rejection(search({ ...options, token: "not-a-token", request: { q: "x" } }));
    expect(wrongToken).toMatchObject({ status: 401 });
  });

  it("finds offline the jobs the server finds, by the same rules", async () => {
    const { companyId, projects } = await companyWithJobs(JOBS);
    const options = { baseUrl: BASE_URL, fetch: toWorker, token: token(), companyId };
    for (const q of [
      "kitchen",
      "refit",
      "phnoe",
      "boilre",
      "muller leeds",
      "MÜLL",
      "ada lovelace",
      "leds",
      "zzz",
    ]) {
      const online = await search({ ...options, request: { q, types: ["project"] } });
      const offline = searchJobs(projects, q);
      expect(
        offline.map((hit) => hit.record.id).sort(),
        `"${q}": offline as online (${online.hits.map((hit) => hit.title).join(", ")})`,
      ).toEqual(online.hits.map((hit) => hit.id).sort());
    }
  });
});
