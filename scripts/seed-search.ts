// Demo search activity for the demo company: a few searches through the search API (so each is
// logged as the dashboard's would be) over the seeded projects, clients and documents, some with a
// click on a result and some finding nothing, so the search report has something to show. Skipped
// when the company has logged queries already (local state keeps them between runs).
import { request } from "./api-request.ts";

/** What people type; `open` is the position of the result clicked, if any. */
const DEMO_SEARCHES: { q: string; open?: number }[] = [
  { q: "kitchen", open: 0 },
  { q: "bathroom refit", open: 1 },
  { q: "patel" },
  { q: "kitchen ext", open: 0 },
  { q: "maintenance schedule", open: 0 },
  { q: "inspectoin" },
  { q: "conservatory" },
  { q: "kitchen" },
  { q: "boiler service" },
];

interface SearchAnswer {
  query_id: string;
  hits: { type: string; id: string }[];
}

export async function seedDemoSearch(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<void> {
  const base = `/api/admin/companies/${companyId}/search`;
  const call = <T>(path: string, body?: unknown) =>
    request<T>(baseUrl, `${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      token: adminSecret,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const report = await call<{ totals: { queries: number } }>("/report?days=90");
  if (report.totals.queries > 0) {
    log(`demo searches already logged (${report.totals.queries}); keeping them`);
    return;
  }
  let clicks = 0;
  for (const search of DEMO_SEARCHES) {
    const answer = await call<SearchAnswer>("", { q: search.q });
    const hit = search.open === undefined ? undefined : answer.hits[search.open];
    if (!hit) continue;
    // The search logs its query after answering: a click sent at once may arrive before the row.
    for (let attempt = 0; ; attempt++) {
      try {
        await call(`/queries/${answer.query_id}/click`, {
          type: hit.type,
          id: hit.id,
          position: search.open,
        });
        clicks += 1;
        break;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes("SEARCH_QUERY_NOT_FOUND")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  log(`${DEMO_SEARCHES.length} demo searches logged, ${clicks} with a click on a result`);
}
