// What the search index tests share: a company's tenant database, its index entries and what an
// FTS5 MATCH on either index finds, read straight from the database.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { tenantDatabase } from "../src/services/tenant-db.ts";
import { call, callAsOperator, expectError, json, registerCompany } from "./helpers.ts";
import { companyOwner } from "./users.ts";

export const tenantOf = (companyId: string) => tenantDatabase(env, companyId);

export interface Entry {
  entity_type: string;
  entity_id: string;
  project_id: string | null;
  title: string;
  body: string;
  tags: string;
  facets: string;
}

/** Every index entry, in a stable order, without rowid and updated_at (a rebuild renews both). */
export async function entries(db: D1Database): Promise<Entry[]> {
  const { results } = await db
    .prepare(
      "SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_entities " +
        "ORDER BY entity_type, entity_id",
    )
    .all<Entry>();
  return results;
}

export async function entry(db: D1Database, type: string, id: string): Promise<Entry | null> {
  return db
    .prepare(
      "SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM search_entities " +
        "WHERE entity_type = ? AND entity_id = ?",
    )
    .bind(type, id)
    .first<Entry>();
}

/** `type:id` of the entries a MATCH finds in the word index, best first (ties by id). */
export async function matches(db: D1Database, query: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT entity_type, entity_id FROM search_fts WHERE search_fts MATCH ? " +
        "ORDER BY bm25(search_fts, 10.0, 1.0, 3.0), entity_type, entity_id",
    )
    .bind(query)
    .all<{ entity_type: string; entity_id: string }>();
  return results.map((row) => `${row.entity_type}:${row.entity_id}`);
}

/** `type:id` of the entries the trigram twin finds for a substring. */
export async function contains(db: D1Database, text: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT e.entity_type, e.entity_id FROM search_trigram t JOIN search_entities e ON e.rowid = t.rowid " +
        "WHERE search_trigram MATCH ? ORDER BY e.entity_type, e.entity_id",
    )
    .bind(`"${text}"`)
    .all<{ entity_type: string; entity_id: string }>();
  return results.map((row) => `${row.entity_type}:${row.entity_id}`);
}

export const indexPath = (companyId: string) => `/api/admin/companies/${companyId}/search/index`;

export interface IndexStatus {
  present: boolean;
  entries: Record<string, number>;
  integrity: "ok" | "failed" | "missing";
  took_ms: number;
}

/** GET, rebuild (POST) or drop (DELETE) the company's index as an operator; expects 200. */
export async function indexCommand(companyId: string, command: "status" | "rebuild" | "drop") {
  const response =
    command === "status"
      ? await callAsOperator(indexPath(companyId))
      : command === "rebuild"
        ? await callAsOperator(`${indexPath(companyId)}/rebuild`, { method: "POST" })
        : await callAsOperator(indexPath(companyId), { method: "DELETE" });
  expect(response.status, await response.clone().text()).toBe(200);
  return json<IndexStatus>(response);
}

/** Waits for work a request left to waitUntil (document text extraction) to show. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value) || attempt >= 50) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The index routes are the operators': 404 for an unknown company, 401 without a credential, 403 for
 * the company's own owner.
 */
export async function expectOperatorOnly(
  pathOf: (companyId: string) => string,
  method: string,
  email: string,
) {
  await expectError(await callAsOperator(pathOf("cmp_nope"), { method }), 404, "COMPANY_NOT_FOUND");
  const acme = await registerCompany({ admin_email: email });
  const owner = await companyOwner(acme.company_id, email);
  await expectError(await call(pathOf(acme.company_id), { method }), 401, "UNAUTHORIZED");
  await expectError(
    await call(pathOf(acme.company_id), { method, headers: { cookie: owner } }),
    403,
    "FORBIDDEN",
  );
  return acme.company_id;
}
