// What the search tests share: a company's records created through the real API routes (the index
// triggers fill search_entities in the same write), and the search call itself as an operator, a
// member (session cookie) or a bearer token. Two things are written directly instead: a document's
// text (extraction runs after the upload's answer, so the test would race it) and a member's entry
// (services/search/member-index.ts indexes the central members; these tests need one of their own).
import { env } from "cloudflare:workers";
import type { SearchRequest, SearchResponse } from "@nexus/contracts";
import { expect } from "vitest";
import { call, callAsOperator, json } from "../../../test/helpers.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { upload } from "../documents/fixtures.ts";
import { company } from "../projects/fixtures.ts";

export const searchPath = (companyId: string) => `${company(companyId)}/search`;

/** Who calls: the operator by default, a dashboard user by cookie, or a bearer token (API key, installation). */
export type SearchAuth = { cookie: string } | { token: string } | undefined;

export function searchCall(
  companyId: string,
  body: SearchRequest | Record<string, unknown>,
  auth?: SearchAuth,
) {
  if (auth && "cookie" in auth)
    return call(searchPath(companyId), { body, headers: { cookie: auth.cookie } });
  if (auth) return call(searchPath(companyId), { body, token: auth.token });
  return callAsOperator(searchPath(companyId), { body });
}

/** A search that must answer 200. */
export async function search(
  companyId: string,
  body: SearchRequest | Record<string, unknown>,
  auth?: SearchAuth,
): Promise<SearchResponse> {
  const response = await searchCall(companyId, body, auth);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<SearchResponse>(response);
}

/** "type:id" of each hit, in order. */
export const hitKeys = (answer: SearchResponse) => answer.hits.map((hit) => `${hit.type}:${hit.id}`);

export async function machine(companyId: string, body: Record<string, unknown>): Promise<string> {
  const response = await callAsOperator(`${company(companyId)}/machines`, { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ machine: { id: string } }>(response)).machine.id;
}

/** A text document uploaded through the API, its text put where the index reads it. */
export async function textDocument(
  companyId: string,
  name: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const document = await upload(companyId, name, new TextEncoder().encode(text), extra);
  const db = await tenantDatabase(env, companyId);
  await db
    .prepare(
      "INSERT INTO document_texts (document_id, text) VALUES (?, ?) ON CONFLICT (document_id) DO UPDATE SET text = excluded.text",
    )
    .bind(document.id, text)
    .run();
  return document.id;
}

/** A member's index entry, as the member indexing writes it (name / email / roles). */
export async function memberEntry(
  companyId: string,
  member: { id: string; name: string; email: string; role: string },
): Promise<void> {
  const db = await tenantDatabase(env, companyId);
  await db
    .prepare(
      "INSERT INTO search_entities (entity_type, entity_id, project_id, title, body, tags, facets) VALUES ('member', ?, NULL, ?, ?, ?, ?)",
    )
    .bind(member.id, member.name, member.email, member.role, JSON.stringify({ role: member.role }))
    .run();
}

/** Drops the FTS tables as the operators' drop does (for a D1 export). */
export async function dropIndexTables(companyId: string): Promise<void> {
  const db = await tenantDatabase(env, companyId);
  await db.batch(
    [
      "DROP TRIGGER IF EXISTS search_entities_ai",
      "DROP TRIGGER IF EXISTS search_entities_ad",
      "DROP TRIGGER IF EXISTS search_entities_au",
      "DROP TABLE IF EXISTS search_vocab",
      "DROP TABLE IF EXISTS search_fts",
      "DROP TABLE IF EXISTS search_trigram",
    ].map((sql) => db.prepare(sql)),
  );
}

/** The search_queries rows of a company, newest last. */
export async function loggedQueries(companyId: string) {
  const db = await tenantDatabase(env, companyId);
  const { results } = await db
    .prepare(
      "SELECT id, query, types, filters, result_count, latency_ms, actor_type, actor_id FROM search_queries ORDER BY created_at, rowid",
    )
    .all<{
      id: string;
      query: string;
      types: string | null;
      filters: string | null;
      result_count: number;
      latency_ms: number;
      actor_type: string;
      actor_id: string | null;
    }>();
  return results;
}
