// What the workflow and template tests share: the company routes' paths and JSON calls as the operator.
import { expect } from "vitest";
import { call, callAsOperator, json } from "../../../test/helpers.ts";

export const workflowsPath = (companyId: string, key?: string) =>
  `/api/admin/companies/${companyId}/notifications/workflows${key === undefined ? "" : `/${key}`}`;

/** Calls as the operator, or with a dashboard user's cookie, and expects `status`. */
export async function expectCall<T = Record<string, unknown>>(
  path: string,
  options: { method?: string; body?: unknown; cookie?: string },
  status: number,
): Promise<T> {
  const request = { ...(options.method ? { method: options.method } : {}), body: options.body };
  const response = options.cookie
    ? await call(path, { ...request, headers: { cookie: options.cookie } })
    : await callAsOperator(path, request);
  expect(response.status, await response.clone().text()).toBe(status);
  return json<T>(response);
}

export const customWorkflow = {
  key: "invoice.overdue",
  name: "Invoice overdue",
  category: "billing",
  channels: ["email", "in_app"],
};
