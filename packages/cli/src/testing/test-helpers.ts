// Shared by the CLI's tests: output capture, a fetch that can only reach this machine, and temp
// copies of the repo's wrangler.toml (tests never touch the real one).
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fetch, TextSink } from "../io.ts";

export const REPO_ROOT = join(import.meta.dirname, "../../../..");

export interface Capture extends TextSink {
  text(): string;
}

export function capture(): Capture {
  let buffer = "";
  return {
    write(chunk: string) {
      buffer += chunk;
      return true;
    },
    text: () => buffer,
  };
}

/** fetch restricted to 127.0.0.1: a test that would reach a real host fails instead. */
export const localOnlyFetch: Fetch = (url, init) => {
  const { hostname } = new URL(url);
  if (hostname !== "127.0.0.1") return Promise.reject(new Error(`test tried to reach ${hostname}`));
  return fetch(url, init);
};

export interface TempConfig {
  path: string;
  cleanup(): Promise<void>;
}

/** A temp wrangler.toml with `content`, or a copy of the repo's when none is given. */
export async function tempWranglerConfig(content?: string): Promise<TempConfig> {
  const dir = await mkdtemp(join(tmpdir(), "nexus-cli-"));
  const path = join(dir, "wrangler.toml");
  if (content === undefined) await copyFile(join(REPO_ROOT, "wrangler.toml"), path);
  else await writeFile(path, content);
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A loopback URL nothing listens on: a port the OS just handed out and took back. */
export async function closedLocalUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
