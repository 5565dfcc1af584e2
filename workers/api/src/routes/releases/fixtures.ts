// Shared by the releases and updates operations' tests: drafts made through the operator routes,
// what R2 holds, and raw operator requests (streams and multipart parts).
import { env, exports } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { expect } from "vitest";
import { adminToken, BASE_URL, callAsOperator, json } from "../../../test/helpers.ts";
import { declare, installersFor } from "../../../test/releases.ts";

export async function draft(version: string, files = installersFor(version)) {
  const response = await callAsOperator("/api/admin/releases", {
    body: { channel: "stable", version, files: await Promise.all(files.map(declare)) },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return { release: (await json<{ release: Release }>(response)).release, files };
}

export const objectKeys = async () => (await env.ARTIFACTS.list()).objects.map((object) => object.key);

export function operatorFetch(path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${adminToken()}`);
  return exports.default.fetch(new Request(`${BASE_URL}${path}`, { ...init, headers }));
}
