// Package boundaries: the shared packages (packages/*) and the dashboard's browser code never reach
// into a worker's files, and reach another package only by its name (a declared dependency), never by
// a relative path into its folder. Dependencies then point one way, workers -> packages, and each
// package's `exports` is its whole public surface.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/** Folders whose files are checked, each one package (its own files may import each other freely). */
function checkedPackages(): string[] {
  const packages = readdirSync(join(root, "packages"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join("packages", entry.name));
  return [...packages, "workers/dashboard/src"];
}

/** Package names of the workers (`@nexus/api`, …): no package may depend on one. */
function workerPackageNames(): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(join(root, "workers"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const manifest = JSON.parse(readFileSync(join(root, "workers", entry.name, "package.json"), "utf8"));
      if (typeof manifest.name === "string") names.add(manifest.name);
    } catch {
      // A folder without a package.json is no package.
    }
  }
  return names;
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) files.push(path);
  }
  return files;
}

const IMPORT =
  /\b(?:import|export)\s+(?:type\s+)?[^"'`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;

function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

const isInside = (folder: string, path: string) => path === folder || path.startsWith(`${folder}${sep}`);

/**
 * What is wrong with `specifier` imported by `file` (both relative to the project root) inside the
 * package folder `home`, or undefined when it is fine.
 */
function boundaryProblem(
  file: string,
  home: string,
  specifier: string,
  workerPackages: ReadonlySet<string>,
): string | undefined {
  const bare = specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
  if (workerPackages.has(bare)) return `imports the worker package ${bare}`;
  if (!specifier.startsWith(".")) return undefined;
  const target = relative(root, resolve(root, dirname(file), specifier));
  if (isInside(home, target)) return undefined;
  if (isInside("workers", target)) return `reaches into a worker's files (${target})`;
  if (isInside("packages", target)) {
    const other = target.split(sep).slice(0, 2).join("/");
    return `reaches into ${other} by a relative path (import it by its package name)`;
  }
  return undefined;
}

describe("package boundaries", () => {
  it("packages/** and workers/dashboard/src/** import workers never, other packages by name only", () => {
    const workerPackages = workerPackageNames();
    const problems: string[] = [];
    let checked = 0;
    for (const home of checkedPackages()) {
      for (const file of sourceFiles(home)) {
        checked += 1;
        for (const specifier of importSpecifiers(readFileSync(join(root, file), "utf8"))) {
          const problem = boundaryProblem(file, home, specifier, workerPackages);
          if (problem) problems.push(`${file}: "${specifier}" ${problem}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it("names the imports that cross a boundary (the ones this test was written against)", () => {
    const workers = new Set(["@nexus/api", "@nexus/consumers"]);
    const check = (file: string, home: string, specifier: string) =>
      boundaryProblem(file, home, specifier, workers);
    expect(check("packages/db/auth.config.ts", "packages/db", "../../workers/api/src/auth/options.ts")).toBe(
      "reaches into a worker's files (workers/api/src/auth/options.ts)",
    );
    expect(
      check("packages/client/src/sync.test.ts", "packages/client", "../../../workers/api/test/helpers.ts"),
    ).toMatch(/^reaches into a worker's files/);
    expect(
      check(
        "workers/dashboard/src/lib/api.ts",
        "workers/dashboard/src",
        "../../../../packages/client/src/errors.ts",
      ),
    ).toBe("reaches into packages/client by a relative path (import it by its package name)");
    expect(check("packages/cli/src/nexus-api.ts", "packages/cli", "@nexus/api/src/app.ts")).toBe(
      "imports the worker package @nexus/api",
    );
    // Fine: its own files, a package by name, a Node built-in, the project's scripts (no package).
    expect(check("packages/client/src/live.ts", "packages/client", "./errors.ts")).toBeUndefined();
    expect(check("packages/client/test/harness.ts", "packages/client", "../src/index.ts")).toBeUndefined();
    expect(check("workers/dashboard/src/lib/live.ts", "workers/dashboard/src", "@nexus/client/live")).toBe(
      undefined,
    );
    expect(check("packages/db/src/central.ts", "packages/db", "node:path")).toBeUndefined();
    expect(
      importSpecifiers(
        'import { a } from "./a.ts";\nimport type {\n  B,\n} from "../b.ts";\nexport * from "./c.ts";\nimport "./d.css";\nconst e = await import("./e.ts");',
      ),
    ).toEqual(["./a.ts", "../b.ts", "./c.ts", "./d.css", "./e.ts"]);
  });
});
