import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

it("bundles every tenant migration, in order (run `pnpm db:generate` after changing packages/db)", () => {
  const files = readdirSync(join(root, "migrations/tenant"))
    .filter((file) => file.endsWith(".sql"))
    .sort();
  const generated = readFileSync(join(root, "packages/db/src/tenant-migrations.generated.ts"), "utf8");
  const bundled = [...generated.matchAll(/name: "([^"]+\.sql)"/g)].map((match) => match[1]);
  expect(files.length).toBeGreaterThan(0);
  expect(bundled).toEqual(files);
});
