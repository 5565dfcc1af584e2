// What the sync tests set up: a company with an owner, a showroom and jobs; calls to push and pull
// as a member or an operator; a device's whole pull; and the company's tenant database.
import { env } from "cloudflare:workers";
import type { SyncChange, SyncMutation } from "@nexus/contracts";
import { SYNC_SCHEMA_VERSION } from "@nexus/contracts";
import { expect } from "vitest";
import { call, callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

export interface PullPage {
  reset: boolean;
  changes: SyncChange[];
  cursor: string;
  has_more: boolean;
  last_mutation_id: number;
}

export const admin = (companyId: string) => `/api/admin/companies/${companyId}`;

export function syncCall(path: "push" | "pull", body: Record<string, unknown>, cookie?: string) {
  return cookie
    ? call(`/api/sync/${path}`, {
        body: { schema_version: SYNC_SCHEMA_VERSION, ...body },
        headers: { cookie },
      })
    : callAsOperator(`/api/sync/${path}`, { body: { schema_version: SYNC_SCHEMA_VERSION, ...body } });
}

export async function setup() {
  const company = await registerCompany({ admin_email: `owner-${crypto.randomUUID()}@sync.example` });
  const ownerEmail =
    (
      await env.CENTRAL_DB.prepare("SELECT admin_email FROM companies WHERE id = ?")
        .bind(company.company_id)
        .first<{ admin_email: string }>()
    )?.admin_email ?? "";
  const owner = await companyOwner(company.company_id, ownerEmail);
  const showroom = await json<{ showroom: { id: string } }>(
    await callAsOperator(`${admin(company.company_id)}/showrooms`, {
      body: { name: "Leeds", type: "retail" },
    }),
  );
  const job = async (title: string, installer?: string) =>
    (
      await json<{ project: { id: string } }>(
        await callAsOperator(`${admin(company.company_id)}/projects`, {
          body: {
            title,
            client: { name: "Client" },
            showroom_id: showroom.showroom.id,
            assignments: installer ? { installer } : {},
          },
        }),
      )
    ).project.id;
  return { companyId: company.company_id, owner, job };
}

/** Pulls until has_more is false; returns the device's view (entity:id -> data) and the request count. */
export async function pullAll(
  companyId: string,
  deviceId: string,
  cookie?: string,
  start: { cursor: string | null; view?: Map<string, unknown> } = { cursor: null },
) {
  const view = start.view ?? new Map<string, unknown>();
  let cursor = start.cursor;
  let requests = 0;
  for (;;) {
    requests += 1;
    const response = await syncCall(
      "pull",
      { company_id: companyId, device_id: deviceId, cursor, limit: 1000 },
      cookie,
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const page = await json<PullPage>(response);
    if (page.reset) view.clear();
    for (const change of page.changes) {
      if (change.op === "delete") view.delete(`${change.entity}:${change.id}`);
      else view.set(`${change.entity}:${change.id}`, change.data);
    }
    cursor = page.cursor;
    if (!page.has_more) return { view, cursor, requests };
  }
}

export const checkIn = (id: number, jobId: string, clientId = crypto.randomUUID()): SyncMutation => ({
  id,
  name: "checkin.create",
  args: { id: clientId, job_id: jobId, gps: { lat: 53.8, lng: -1.55 } },
});

export async function tenantDb(companyId: string): Promise<D1Database> {
  const row = await env.CENTRAL_DB.prepare("SELECT binding_name FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ binding_name: string }>();
  return (env as unknown as Record<string, D1Database>)[row?.binding_name ?? ""] as D1Database;
}
