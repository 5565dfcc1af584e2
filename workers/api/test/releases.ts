// Test helpers for update delivery: make files, publish releases through the real operator routes.
import { exports } from "cloudflare:workers";
import type { DeclaredFile, Release, UpdatePlatform } from "@nexus/contracts";
import { expect } from "vitest";
import { adminToken, BASE_URL, callAsOperator, callRaw, json } from "./helpers.ts";

export interface TestFile {
  name: string;
  platform: UpdatePlatform;
  kind?: "artifact" | "blockmap";
  bytes: Uint8Array;
}

/** Deterministic bytes: the same seed gives the same content. */
export function bytesOf(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

export async function sha512Base64(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes));
  return btoa(String.fromCharCode(...digest));
}

export async function declare(file: TestFile): Promise<DeclaredFile> {
  return {
    name: file.name,
    platform: file.platform,
    kind: file.kind ?? "artifact",
    size: file.bytes.byteLength,
    sha512: await sha512Base64(file.bytes),
  };
}

export function upload(releaseId: string, name: string, bytes: Uint8Array): Promise<Response> {
  return callRaw(`/api/admin/releases/${releaseId}/files/${encodeURIComponent(name)}`, {
    body: bytes,
    token: adminToken(),
  });
}

/** The usual three platforms' installers for a version, a few KB each. */
export function installersFor(version: string, seed = 7): TestFile[] {
  return [
    { name: `Nexus-Setup-${version}.exe`, platform: "win", bytes: bytesOf(6000, seed) },
    { name: `Nexus-${version}-mac.zip`, platform: "mac", bytes: bytesOf(5000, seed + 1) },
    { name: `Nexus-${version}.AppImage`, platform: "linux", bytes: bytesOf(4000, seed + 2) },
    { name: `Nexus-${version}-arm64.AppImage`, platform: "linux-arm64", bytes: bytesOf(3000, seed + 3) },
  ];
}

export interface PublishOptions {
  channel?: string;
  files?: TestFile[];
  rollout?: { percent: number; ramp_hours?: number };
  minimum_version?: string;
  mandatory?: boolean;
  notes?: string;
}

/** Creates, uploads and publishes a release; returns it. */
export async function publishRelease(version: string, options: PublishOptions = {}): Promise<Release> {
  const files = options.files ?? installersFor(version);
  const created = await callAsOperator("/api/admin/releases", {
    body: {
      channel: options.channel ?? "stable",
      version,
      name: `Nexus ${version}`,
      notes: options.notes,
      minimum_version: options.minimum_version,
      mandatory: options.mandatory ?? false,
      files: await Promise.all(files.map(declare)),
    },
  });
  expect(created.status).toBe(201);
  const { release } = await json<{ release: Release }>(created);
  for (const file of files) expect((await upload(release.id, file.name, file.bytes)).status).toBe(200);
  const published = await callAsOperator(`/api/admin/releases/${release.id}/publish`, {
    body: options.rollout ? { rollout: options.rollout } : {},
  });
  expect(published.status).toBe(200);
  return (await json<{ release: Release }>(published)).release;
}

/** GET from the feed as an installation. */
export function feed(
  path: string,
  auth: { companyCode: string; token: string },
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Response> {
  const separator = path.includes("?") ? "&" : "?";
  return exports.default.fetch(
    new Request(`${BASE_URL}/api/updates/${path}${separator}company_code=${auth.companyCode}`, {
      method,
      headers: { authorization: `Bearer ${auth.token}`, ...headers },
    }),
  );
}

/** A staging id whose electron-updater cohort is `fraction` (0..1) — the UUID's last 4 bytes. */
export function stagingIdAt(fraction: number): string {
  const value = Math.min(0xffffffff, Math.round(fraction * 0xffffffff));
  return `00000000-0000-4000-8000-0000${value.toString(16).padStart(8, "0")}`;
}
