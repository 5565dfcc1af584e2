// workerd's resident memory, read from /proc (Linux): Miniflare spawns workerd as a child of this
// process, so its processes are the descendants of ours named `workerd`.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  command: string;
}

/** `/proc/<pid>/stat`: "pid (comm) state ppid …"; comm may hold spaces and parentheses. */
export function parseStat(text: string): ProcessEntry | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(text.slice(close + 2).split(" ")[1]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, ppid, command: text.slice(open + 1, close) };
}

/** VmRSS of `/proc/<pid>/status`, in bytes (the kernel writes kB); null if absent (a zombie). */
export function parseVmRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * The kernel's split of the resident set (`/proc/<pid>/status`, kB, in bytes): `anon` is the heap
 * memory (V8's heaps, malloc arenas, SQLite's page caches); `file` is mapped files (workerd's binary
 * and, when SQLite maps a database, its pages); `shmem` is shared memory. null if absent (a zombie).
 */
export function parseRssParts(status: string): { anon: number; file: number; shmem: number } | null {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, "m").exec(status);
    return match ? Number(match[1]) * 1024 : null;
  };
  const anon = field("RssAnon");
  const file = field("RssFile");
  const shmem = field("RssShmem");
  return anon === null || file === null || shmem === null ? null : { anon, file, shmem };
}

/** Descendants of `root` (at any depth) whose command is `command`. */
export function descendantsNamed(entries: readonly ProcessEntry[], root: number, command: string): number[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of entries) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const found: number[] = [];
  const queue = [root];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const child of children.get(parent) ?? []) {
      if (child.command === command) found.push(child.pid);
      queue.push(child.pid);
    }
  }
  return found;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    // The process ended between listing and reading.
    return null;
  }
}

function processTable(): ProcessEntry[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const stat = readProc(`/proc/${pid}/stat`);
      const entry = stat === null ? null : parseStat(stat);
      return entry ? [entry] : [];
    });
}

export interface Resident {
  pids: number[];
  rssBytes: number;
  anonBytes: number;
  fileBytes: number;
}

/** The resident bytes of `root`'s descendants named `command`, summed and split, and their pids. */
export function residentMemoryOf(root: number, command: string): Resident {
  const pids = descendantsNamed(processTable(), root, command);
  const resident: Resident = { pids, rssBytes: 0, anonBytes: 0, fileBytes: 0 };
  for (const pid of pids) {
    const status = readProc(`/proc/${pid}/status`) ?? "";
    resident.rssBytes += parseVmRss(status) ?? 0;
    const parts = parseRssParts(status);
    resident.anonBytes += parts?.anon ?? 0;
    resident.fileBytes += parts?.file ?? 0;
  }
  return resident;
}

/** The resident bytes of `root`'s descendants named `command`, summed, and their pids. */
export function residentOf(root: number, command: string): { pids: number[]; rssBytes: number } {
  const { pids, rssBytes } = residentMemoryOf(root, command);
  return { pids, rssBytes };
}

/** The resident memory of this process's workerd processes (Miniflare's), summed, and their pids. */
export const workerdResident = () => residentMemoryOf(process.pid, "workerd");
