// What the LLM admin tests share: a company with its base path, provider keys added through the
// API (as an operator unless a token or cookie is given), call-log rows written straight into the
// company's tenant D1 (as the gateway would), and the audit rows of a company.
import { env } from "cloudflare:workers";
import type { LlmProviderKey } from "@nexus/contracts";
import { llmCalls } from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";
import { expect } from "vitest";
import { newId } from "../src/lib/ids.ts";
import { tenantDatabase } from "../src/services/tenant-db.ts";
import { type CallOptions, call, json, registerCompany } from "./helpers.ts";

export const llmBase = (companyId: string) => `/api/admin/companies/${companyId}/llm`;

/** A registered company (its owner's email is `owner@<tag>.example`) and its LLM base path. */
export async function llmCompany(tag: string) {
  const company = await registerCompany({ admin_email: `owner@${tag}.example` });
  return { companyId: company.company_id, base: llmBase(company.company_id) };
}

/** Who calls: the operator by default, a session cookie, or a bearer token. */
export type As = { cookie: string } | { token: string };
export const asOptions = (as: As = { token: env.NEXUS_ADMIN_SECRET }): CallOptions =>
  "cookie" in as ? { headers: { cookie: as.cookie } } : { token: as.token };

export async function addProviderKey(
  companyId: string,
  body: { provider: string; label?: string; key: string },
  as?: As,
): Promise<LlmProviderKey> {
  const response = await call(`${llmBase(companyId)}/keys`, {
    ...asOptions(as),
    body: { label: `${body.provider} key`, ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ key: LlmProviderKey }>(response)).key;
}

export function putPolicy(companyId: string, policy: Record<string, unknown>, as?: As) {
  return call(`${llmBase(companyId)}/policy`, { ...asOptions(as), method: "PUT", body: policy });
}

export type CallRow = typeof llmCalls.$inferInsert;

/** Writes call-log rows as the gateway does (id: newId(created_at)), with defaults for what is left out. */
export async function insertCalls(companyId: string, rows: Partial<CallRow>[]): Promise<CallRow[]> {
  const full = rows.map((row): CallRow => {
    const createdAt = row.createdAt ?? Date.now();
    return {
      id: newId(createdAt),
      requestId: crypto.randomUUID(),
      createdAt,
      model: "default",
      provider: "openai",
      providerModel: "gpt-4o-mini",
      keySource: "platform",
      fallbackStep: 0,
      attempts: [],
      stream: false,
      status: "ok",
      httpStatus: 200,
      inputTokens: 10,
      cachedTokens: 0,
      outputTokens: 5,
      costUsdMicros: 100,
      priceVersion: "test",
      latencyMs: 12,
      ...row,
    };
  });
  const orm = drizzle(await tenantDatabase(env, companyId));
  for (const row of full) await orm.insert(llmCalls).values(row);
  return full;
}

/** Everything the company's audit log holds, as text (to look for what must not be there). */
export async function auditText(companyId: string) {
  const rows = await env.CENTRAL_DB.prepare("SELECT * FROM audit_logs WHERE company_id = ? ORDER BY id")
    .bind(companyId)
    .all<{ action: string; details: string | null }>();
  return {
    actions: rows.results.map((row) => row.action),
    details: rows.results.map((row) => (row.details === null ? null : (JSON.parse(row.details) as unknown))),
    text: JSON.stringify(rows.results),
  };
}
