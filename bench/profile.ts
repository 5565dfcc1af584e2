// `pnpm bench --profile`: a V8 CPU profile of the API's isolate (the Worker and its Durable Objects
// run in the same isolate locally) while a route is loaded, taken through workerd's inspector with
// the DevTools protocol. Self time is attributed to the bundle's modules through the `// path`
// comments esbuild writes before each module, so the breakdown reads "hono 12 %, jose 4 %, our
// services/updates 3 %…", and the full profile is written for Chrome DevTools.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One DevTools protocol session over workerd's inspector socket. */
export class InspectorSession {
  readonly #socket: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, (result: unknown) => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.#pending.get(message.id)?.(message.result);
    });
  }

  /** workerd names a worker's inspector target `core:user:<worker name>`. */
  static async open(inspectorPort: number, workerName: string): Promise<InspectorSession> {
    const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/core:user:${workerName}`);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error("cannot reach workerd's inspector")), {
        once: true,
      });
    });
    return new InspectorSession(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve) => {
      this.#pending.set(id, (result) => resolve(result as T));
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/** Starts sampling (every 100 µs); the returned function stops and gives the profile. */
export async function startProfile(session: InspectorSession): Promise<() => Promise<CpuProfile>> {
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 100 });
  await session.send("Profiler.start");
  return async () => (await session.send<{ profile: CpuProfile }>("Profiler.stop")).profile;
}

/** Line ranges of the bundle's modules, from the `// <path>` comment esbuild puts before each. */
export function bundleModuleMap(bundlePath: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((text, line) => {
      const match = /^\/\/ ((?:\.\.\/)*(?:node_modules|workers|packages)\/\S+)$/.exec(text);
      if (match?.[1]) starts.push({ line, module: moduleGroup(match[1]) });
    });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found = "(bundle prelude)";
    while (low <= high) {
      const middle = (low + high) >> 1;
      const start = starts[middle];
      if (!start) break;
      if (start.line <= line) {
        found = start.module;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  };
}

/** A package (`hono`, `zod`, `drizzle-orm`) or one of our folders (`workers/api/src/services/updates`). */
function moduleGroup(path: string): string {
  const packageMatch = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch?.[1]) return packageMatch[1];
  const parts = path.replace(/^(\.\.\/)+/, "").split("/");
  return parts.slice(0, -1).join("/") || path;
}

export interface ProfileBreakdown {
  /** Sampled milliseconds in the isolate, idle excluded. */
  busyMs: number;
  /** Share of busy time per module group, largest first. */
  modules: { module: string; share: number }[];
  /** The heaviest functions by self time. */
  functions: { name: string; module: string; share: number }[];
}

/** Self time per module group and per function; `idle` samples (waiting for I/O) are left out. */
export function breakdown(profile: CpuProfile, moduleOf: (line: number) => string): ProfileBreakdown {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, { module: string; time: number }>();
  let busy = 0;
  for (const [id, time] of selfTime) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    busy += time;
    // V8's own entries ((program), (garbage collector)) and the runtime's built-ins have no bundle line.
    const module =
      frame.url.endsWith(".js") && frame.lineNumber >= 0 ? moduleOf(frame.lineNumber) : "(runtime)";
    byModule.set(module, (byModule.get(module) ?? 0) + time);
    const name = `${frame.functionName || "(anonymous)"}@${module}:${frame.lineNumber + 1}`;
    const entry = byFunction.get(name) ?? { module, time: 0 };
    entry.time += time;
    byFunction.set(name, entry);
  }
  const share = (time: number) => (busy > 0 ? time / busy : 0);
  return {
    busyMs: busy / 1000,
    modules: [...byModule]
      .map(([module, time]) => ({ module, share: share(time) }))
      .sort((a, b) => b.share - a.share),
    functions: [...byFunction]
      .map(([name, { module, time }]) => ({ name, module, share: share(time) }))
      .sort((a, b) => b.share - a.share)
      .slice(0, 15),
  };
}

export function formatBreakdown(route: string, result: ProfileBreakdown, requests: number): string {
  const perRequest = requests > 0 ? (result.busyMs * 1000) / requests : 0;
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  const modules = result.modules
    .filter((entry) => entry.share >= 0.01)
    .map((entry) => `    ${percent(entry.share)}  ${entry.module}`);
  const functions = result.functions.map((entry) => `    ${percent(entry.share)}  ${entry.name}`);
  return [
    `profile ${route}: ${result.busyMs.toFixed(0)} ms busy in the isolate, ~${perRequest.toFixed(0)} µs per request (sampling slows the run; compare shares, not speeds)`,
    "  self time by module:",
    ...modules,
    "  heaviest functions:",
    ...functions,
  ].join("\n");
}

export function writeProfile(path: string, profile: CpuProfile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(profile));
}
