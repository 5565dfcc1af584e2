// The API's layout, checked so it stays true as modules arrive: one folder per resource mirroring
// packages/contracts/src/<resource>, one operation per file named after its operation id with its
// test beside it, short route files without SQL, and raw SQL only where a comment says why.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const routesDir = join(root, "workers/api/src/routes");
const contractsDir = join(root, "packages/contracts/src");
const MAX_ROUTE_LINES = 300;
/** Route folders that serve no catalogue operation: better-auth's handler, and /docs + /openapi.json. */
const NOT_OPERATIONS = new Set(["auth/auth.ts", "system/docs.ts"]);

const kebab = (id: string) => id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist") return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The operation ids each contracts resource folder declares, from its routes.ts. */
function contractOperations(): Map<string, string[]> {
  const byResource = new Map<string, string[]>();
  for (const entry of readdirSync(contractsDir, { withFileTypes: true })) {
    const path = join(contractsDir, entry.name, "routes.ts");
    if (!entry.isDirectory() || !existsSync(path)) continue;
    const ids = [...readFileSync(path, "utf8").matchAll(/^ {2}(\w+): (?:define|\w+Route)\(/gm)].map(
      (m) => m[1] ?? "",
    );
    byResource.set(entry.name, ids);
  }
  return byResource;
}

/** Test code: the tests themselves and `fixtures.ts`, the data a resource's tests share. */
const isTestCode = (path: string) => path.endsWith(".test.ts") || basename(path) === "fixtures.ts";

const operationFiles = files(routesDir).filter((path) => {
  const name = relative(routesDir, path);
  return (
    !isTestCode(path) && basename(path) !== "index.ts" && !NOT_OPERATIONS.has(name) && name.includes("/")
  );
});

describe("the API's layout", () => {
  const resources = contractOperations();

  it("has a route folder for each contracts resource and no other", () => {
    const folders = readdirSync(routesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "auth")
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual([...resources.keys()].sort());
  });

  it("puts each operation in its own file, named after the operation id, in its resource's folder, with a test beside it", () => {
    const seen = new Map<string, string>();
    for (const path of operationFiles) {
      const name = relative(routesDir, path);
      const source = readFileSync(path, "utf8");
      const ids = [...source.matchAll(/\boperation\(\s*"(\w+)"/g)].map((m) => m[1] ?? "");
      expect(ids, `${name} mounts exactly one operation`).toHaveLength(1);
      const [id = ""] = ids;
      const resource = name.split("/")[0] ?? "";
      expect(resources.get(resource), `${name}: ${id} is declared in contracts/${resource}`).toContain(id);
      expect(basename(path), `${name} is named after ${id}`).toBe(`${kebab(id)}.ts`);
      expect(existsSync(path.replace(/\.ts$/, ".test.ts")), `${name} has its test beside it`).toBe(true);
      seen.set(id, name);
    }
    const missing = [...resources.values()].flat().filter((id) => !seen.has(id));
    expect(missing, "operations without a file").toEqual([]);
  });

  it("keeps route files short and free of SQL (queries live in services)", () => {
    for (const path of files(routesDir).filter((file) => !isTestCode(file))) {
      const name = relative(root, path);
      const source = readFileSync(path, "utf8");
      expect(source.split("\n").length, `${name} lines`).toBeLessThanOrEqual(MAX_ROUTE_LINES);
      expect(source, `${name} imports drizzle-orm`).not.toMatch(/from "drizzle-orm/);
      expect(source, `${name} imports tables`).not.toMatch(
        /^import \{[^}]*\} from "@nexus\/db\/(central|tenant)"/m,
      );
      expect(source, `${name} runs raw SQL`).not.toMatch(/\.prepare\(|\bsql`/);
    }
  });

  it("says why wherever raw SQL is used instead of the drizzle schema", () => {
    const sources = [
      ...files(join(root, "workers/api/src")),
      ...files(join(root, "workers/consumers/src")),
      ...files(join(root, "packages/db/src")),
    ].filter((path) => !isTestCode(path) && !path.includes(".generated."));
    const unexplained: string[] = [];
    for (const path of sources) {
      const lines = readFileSync(path, "utf8").split("\n");
      lines.forEach((line, index) => {
        if (!/\.prepare\(/.test(line)) return;
        const before = lines.slice(Math.max(0, index - 12), index + 1).join("\n");
        if (!/\/\/.*\b(raw SQL|drizzle)\b|\*.*\b(raw SQL|drizzle)\b/i.test(before)) {
          unexplained.push(`${relative(root, path)}:${index + 1}`);
        }
      });
    }
    expect(unexplained, "raw SQL without a comment saying why (mention drizzle or raw SQL)").toEqual([]);
  });
});
