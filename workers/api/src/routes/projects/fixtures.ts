// What the CRM tests (projects, pipeline, showrooms, feature flags, sync) set up through the API:
// showrooms, projects, moves and activities of a company, and users by email.
import { env } from "cloudflare:workers";
import type { Project } from "@nexus/contracts";
import { expect } from "vitest";
import { call, callAsOperator, json } from "../../../test/helpers.ts";

export const company = (id: string) => `/api/admin/companies/${id}`;

export async function userId(email: string): Promise<string> {
  const row = await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = ?")
    .bind(email)
    .first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

export async function showroom(companyId: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await callAsOperator(`${company(companyId)}/showrooms`, {
    body: { name: "Leeds", type: "retail", ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ showroom: { id: string } }>(response)).showroom.id;
}

export async function project(
  companyId: string,
  showroomId: string,
  body: Record<string, unknown> = {},
): Promise<Project> {
  const response = await callAsOperator(`${company(companyId)}/projects`, {
    body: {
      title: "Bathroom refit",
      client: { name: "Ada Lovelace", email: "ada@example.com" },
      showroom_id: showroomId,
      ...body,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ project: Project }>(response)).project;
}

export const move = (companyId: string, projectId: string, body: Record<string, unknown>, cookie?: string) =>
  cookie
    ? authCallAdmin(`${company(companyId)}/projects/${projectId}/move`, body, cookie)
    : callAsOperator(`${company(companyId)}/projects/${projectId}/move`, { body });

export const activity = (companyId: string, projectId: string, body: Record<string, unknown>) =>
  callAsOperator(`${company(companyId)}/projects/${projectId}/activities`, { body });

export const check = (companyId: string, projectId: string, checklist: Record<string, boolean>) =>
  callAsOperator(`${company(companyId)}/projects/${projectId}`, { method: "PATCH", body: { checklist } });

/** A company route called with a dashboard user's session cookie. */
export function authCallAdmin(path: string, body: unknown, cookie: string, method = "POST") {
  return call(path, { method, ...(body === undefined ? {} : { body }), headers: { cookie } });
}
