// What the documents tests share: PDF-looking bytes, and declaring, uploading and downloading
// documents through the API (as an operator unless a token is given), against real R2 (DOCUMENTS)
// and the company's real tenant D1.
import { env } from "cloudflare:workers";
import type { Document } from "@nexus/contracts";
import { expect } from "vitest";
import { call, callRaw, json } from "../../../test/helpers.ts";

export const MiB = 1024 * 1024;

export function pdfBytes(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const base = (companyId: string) => `/api/admin/companies/${companyId}/documents`;

export function putBytes(path: string, bytes: Uint8Array, token = env.NEXUS_ADMIN_SECRET): Promise<Response> {
  return callRaw(path, { body: bytes, token });
}

export interface Declared {
  document: Document;
  part_size: number;
  parts: { part_number: number; size: number }[];
}

export async function declare(
  companyId: string,
  body: Record<string, unknown>,
  token?: string,
): Promise<Response> {
  return call(base(companyId), { body, token: token ?? env.NEXUS_ADMIN_SECRET });
}

export async function upload(
  companyId: string,
  name: string,
  bytes: Uint8Array,
  extra: Record<string, unknown> = {},
) {
  const declared = await declare(companyId, { name, size: bytes.byteLength, ...extra });
  expect(declared.status, await declared.clone().text()).toBe(201);
  const { document } = await json<Declared>(declared);
  const stored = await putBytes(`${base(companyId)}/${document.id}/content`, bytes);
  expect(stored.status, await stored.clone().text()).toBe(200);
  return (await json<{ document: Document }>(stored)).document;
}

export const download = (companyId: string, id: string, headers: Record<string, string> = {}) =>
  call(`${base(companyId)}/${id}/content`, { headers, token: env.NEXUS_ADMIN_SECRET });
