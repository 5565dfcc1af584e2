// The route catalogue is assembled from one `routes.ts` per resource folder. Spreading objects would
// let a second route with the same operation id silently replace the first, so ids are checked across
// the files; the stored list (catalogue.operations.txt, written from the catalogue before it was split
// by resource) pins every operation's id, method and path, in the order the OpenAPI document lists them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi.ts";
import { type RouteContract, routes } from "./routes.ts";

const src = import.meta.dirname;
const MAX_LINES = 600;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const resourceRouteFiles = readdirSync(src, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(src, entry.name, "routes.ts"))
  .filter((path) => sourceFiles(join(path, "..")).includes(path));

const storedOperations = readFileSync(join(src, "catalogue.operations.txt"), "utf8").trim().split("\n");

describe("route catalogue", () => {
  it("has each operation id in exactly one resource's routes, and every resource's routes in it", async () => {
    const owners = new Map<string, string[]>();
    for (const file of resourceRouteFiles) {
      const module = (await import(file)) as Record<string, Record<string, RouteContract>>;
      for (const group of Object.values(module)) {
        for (const operationId of Object.keys(group)) {
          owners.set(operationId, [...(owners.get(operationId) ?? []), file.slice(src.length + 1)]);
        }
      }
    }
    const duplicated = [...owners].filter(([, files]) => files.length > 1);
    expect(duplicated).toEqual([]);
    expect([...owners.keys()].sort()).toEqual(Object.keys(routes).sort());
  });

  it("keeps every operation's id, method and path, in the stored order", () => {
    const current = Object.entries(routes).map(
      ([operationId, route]) => `${operationId} ${route.method.toUpperCase()} ${route.path}`,
    );
    expect(current).toEqual(storedOperations);
  });

  it("documents exactly those operations in the OpenAPI document", () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, { operationId: string }>>;
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) => `${operation.operationId} ${method.toUpperCase()} ${path}`,
      ),
    );
    expect(documented.sort()).toEqual([...storedOperations].sort());
  });
});

describe("contracts sources", () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const long = sourceFiles(src)
      .map((file) => ({
        file: file.slice(src.length + 1),
        lines: readFileSync(file, "utf8").split("\n").length,
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
