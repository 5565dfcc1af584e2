// Builds the installable CLI into dist/: `nexus.js` (the bin) and `index.js` (the library surface),
// with @nexus/client, @nexus/contracts, zod and yaml bundled in, so the package has no dependencies
// and runs on Node ≥ 20 without type stripping. dist/ gets its own package.json and is what
// `npm pack` takes: `cd packages/cli/dist && npm pack`, then `npm install <tarball>` and `npx nexus`.
// Inside the repository nothing uses dist/: `pnpm nexus` runs src/main.ts.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(PACKAGE_DIR, "dist");

const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
rmSync(DIST, { recursive: true, force: true });
await build({
  entryPoints: [
    { in: join(PACKAGE_DIR, "src/main.ts"), out: "nexus" },
    { in: join(PACKAGE_DIR, "src/index.ts"), out: "index" },
  ],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: DIST,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  legalComments: "none",
  // Bundled CommonJS (none today, but a dependency may bring some) calls require; give it one.
  banner: {
    js: 'import { createRequire as __nexusRequire } from "node:module"; const require = __nexusRequire(import.meta.url);',
  },
});
chmodSync(join(DIST, "nexus.js"), 0o755);
const published = {
  name: manifest.name,
  version: manifest.version,
  description: "The nexus operator CLI: tenant pool, releases, documents, operators, secrets",
  type: "module",
  engines: { node: ">=20" },
  bin: { nexus: "./nexus.js" },
  exports: { ".": "./index.js", "./package.json": "./package.json" },
};
writeFileSync(join(DIST, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
writeFileSync(join(DIST, "README.md"), readFileSync(join(PACKAGE_DIR, "README.md")));
