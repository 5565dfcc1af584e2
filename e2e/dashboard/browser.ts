// Which Chromium the dashboard's browser tests drive. The test command has to work on a machine with
// only Node and npm, and a browser may come only from the npm registry or Debian's archive (never
// `playwright install`), so the order is: CHROMIUM_PATH; the system's /usr/bin/chromium; the Linux
// Chromium inside the @sparticuz/chromium npm package (a pinned devDependency), unpacked once into
// node_modules/.cache; last, as root, Debian's `chromium` package through apt-get.
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export type ChromiumSource = "CHROMIUM_PATH" | "system" | "@sparticuz/chromium" | "apt";

export interface ResolvedChromium {
  executablePath: string;
  source: ChromiumSource;
}

/** What resolveChromium asks of the machine (the real one by default; tests hand it a stand-in). */
export interface ChromiumHost {
  /** The CHROMIUM_PATH environment variable. */
  chromiumPath: string | undefined;
  isExecutable: (path: string) => boolean;
  /** The npm package's Chromium, unpacked and able to start; undefined where it cannot run. */
  bundledChromium: () => Promise<string | undefined>;
  isRoot: boolean;
  /** `apt-get install -y chromium`, which provides /usr/bin/chromium. */
  installDebianChromium: () => Promise<void>;
}

export async function resolveChromium(host: ChromiumHost = localHost()): Promise<ResolvedChromium> {
  if (host.chromiumPath) {
    // An explicit choice that does not work is an error, not a reason to pick another browser.
    if (!host.isExecutable(host.chromiumPath)) {
      throw new Error(`CHROMIUM_PATH=${host.chromiumPath} is not an executable file.`);
    }
    return { executablePath: host.chromiumPath, source: "CHROMIUM_PATH" };
  }
  if (host.isExecutable(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: "system" };
  const bundled = await host.bundledChromium();
  if (bundled) return { executablePath: bundled, source: "@sparticuz/chromium" };
  if (host.isRoot) {
    await host.installDebianChromium();
    if (host.isExecutable(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: "apt" };
  }
  throw new Error(
    "No Chromium for the browser tests: @sparticuz/chromium's Linux x86-64 build cannot run here and " +
      "installing Debian's needs root. Set CHROMIUM_PATH to a Chromium, or run `apt-get install -y chromium` as root.",
  );
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const execFileAsync = promisify(execFile);

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function localHost(): ChromiumHost {
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    isExecutable,
    bundledChromium,
    isRoot: process.getuid?.() === 0,
    installDebianChromium: async () => {
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      // Test files start in parallel: wait for another one's apt-get rather than fail on its lock.
      const wait = ["-o", "DPkg::Lock::Timeout=600"];
      await execFileAsync("apt-get", [...wait, "update", "-qq"], { env });
      await execFileAsync("apt-get", [...wait, "install", "-y", "-qq", "chromium"], { env });
    },
  };
}

async function bundledChromium(): Promise<string | undefined> {
  // The package carries one build, for Linux on x86-64.
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  } catch {
    return undefined;
  }
  // Its exports name no package.json; the file sits above build/index.js.
  const manifest = JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8")) as {
    version: string;
  };
  const dir = await unpackOnce(
    join(root, "node_modules/.cache/sparticuz-chromium", manifest.version),
    unpack,
  );
  const executable = join(dir, "chromium");
  // It links the system's libnss3 and libnspr4 (present on Debian images); without them it cannot start.
  return spawnSync(executable, ["--version"], { stdio: "ignore", timeout: 30_000 }).status === 0
    ? executable
    : undefined;
}

/**
 * The package unpacks its brotli archives into os.tmpdir() (/tmp/chromium, shared by every user and
 * version), so it runs in a child whose TMPDIR is our own folder.
 */
async function unpack(into: string): Promise<void> {
  await execFileAsync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'const { default: chromium } = await import("@sparticuz/chromium"); await chromium.executablePath();',
    ],
    { cwd: root, env: { ...process.env, TMPDIR: into } },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * `dir` filled by `fill` exactly once, however many test files ask at the same time: one holds
 * `<dir>.lock` (its pid inside) and fills a staging folder that is renamed into place, so `dir` is
 * either absent or complete; the others wait for it. A lock left by a process that died is taken over.
 */
export async function unpackOnce(
  dir: string,
  fill: (into: string) => Promise<void>,
  timeoutMs = 300_000,
): Promise<string> {
  const ready = join(dir, "chromium");
  const lock = `${dir}.lock`;
  await mkdir(dirname(dir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!isExecutable(ready)) {
    if (Date.now() > deadline) throw new Error(`${dir} was not unpacked within ${timeoutMs / 1000} s`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(lock, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number((await readFile(lock, "utf8").catch(() => "")).trim());
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      // A lock is stale when its process died, or when it never got a pid (written right after creation).
      const stale = holder > 0 ? !isAlive(holder) : age > 10_000;
      if (stale) await rm(lock, { force: true });
      else await sleep(200);
      continue;
    }
    try {
      await handle.write(String(process.pid));
      await handle.close();
      if (isExecutable(ready)) break;
      const staging = await mkdtemp(`${dir}.staging-`);
      try {
        await fill(staging);
        await rm(dir, { recursive: true, force: true });
        await rename(staging, dir);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    } finally {
      await rm(lock, { force: true });
    }
  }
  return dir;
}
