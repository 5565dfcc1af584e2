// Shared by the CLI's tests: output capture, the CLI run in-process, a fetch that can only reach
// this machine, a temp folder per test file, deterministic test bytes, and temp copies of the repo's
// wrangler.toml (tests never touch the real one).
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { run } from "../cli.ts";
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

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The whole CLI run in-process on `argv`, with its output captured; stderr is no terminal unless `tty`. */
export async function runCli(
  argv: string[],
  deps: { env: Record<string, string | undefined>; cwd: string; fetch?: Fetch; tty?: boolean },
): Promise<CliRun> {
  const stdout = capture();
  const stderr = Object.assign(capture(), { isTTY: deps.tty ?? false });
  const code = await run(argv, {
    env: deps.env,
    cwd: deps.cwd,
    stdout,
    stderr,
    fetch: deps.fetch ?? localOnlyFetch,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The CLI run on `argv` where it must stop at a usage error (exit code 2, no request); its stderr. */
export async function usageErrorOf(
  argv: string[],
  deps: { env: Record<string, string | undefined>; cwd: string },
): Promise<string> {
  const fetch: Fetch = () => Promise.reject(new Error("no request expected"));
  const result = await runCli(argv, { ...deps, fetch });
  expect(result.code).toBe(2);
  return result.stderr;
}

export interface TestFolder {
  /** The folder's path, known once the file's tests run. */
  readonly path: string;
  /** A path for a new folder in it: `<name>-1`, `<name>-2`, … (not created). */
  fresh(name: string): string;
}

/** A temp folder for one test file, made before its first test and removed after its last. */
export function testFolder(prefix: string): TestFolder {
  let path = "";
  let made = 0;
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(path, { recursive: true, force: true });
  });
  return {
    get path() {
      return path;
    },
    fresh: (name) => join(path, `${name}-${++made}`),
  };
}

/** Deterministic bytes that differ per label. */
export function bytesOf(length: number, label: string): Buffer {
  const block = createHash("sha512").update(label).digest();
  return Buffer.from(Array.from({ length }, (_, i) => (block[i % 64] ?? 0) ^ (i >> 6)));
}

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
