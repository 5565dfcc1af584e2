// Builds the publishable package into dist/: ESM (split into shared chunks, so one class is one
// class across subpaths and bundlers drop what an app does not import), one CommonJS bundle, and
// .d.ts files, with @nexus/contracts compiled in. dist/ gets its own package.json (no workspace:
// dependencies; zod is the only one, for the sync and live subpaths and the contract types) and is
// what `npm pack` / `npm publish` take: `cd packages/client/dist && npm pack`.
// Inside the repository nothing uses dist/: the workspace imports src/ as before.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = join(PACKAGE_DIR, "../..");
const DIST = join(PACKAGE_DIR, "dist");

/**
 * Subpath → source module, the same subpaths the workspace's package.json maps to src/. The root
 * exports everything; a subpath loads one part (what Metro, which does not tree-shake, needs).
 */
const ENTRIES = {
  ".": "index",
  "./errors": "errors",
  "./updates": "updates",
  "./heartbeat": "heartbeat",
  "./telemetry": "telemetry",
  "./documents": "documents",
  "./sync": "sync",
  "./live": "live",
  "./search": "search",
  "./search-offline": "search-offline",
} as const;

async function build(): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const zodVersion = (
    JSON.parse(readFileSync(join(REPO_ROOT, "packages/contracts/package.json"), "utf8")) as {
      dependencies: { zod: string };
    }
  ).dependencies.zod;
  rmSync(DIST, { recursive: true, force: true });
  const entryPoints = Object.values(ENTRIES).map((name) => ({
    in: join(PACKAGE_DIR, "src", `${name}.ts`),
    out: name,
  }));
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: "neutral",
    target: "es2022",
    external: ["zod"],
    logLevel: "warning",
    legalComments: "none",
  };
  await esbuild.build({
    ...common,
    entryPoints,
    format: "esm",
    splitting: true,
    outdir: join(DIST, "esm"),
    chunkNames: "chunks/[name]-[hash]",
  });
  // CommonJS has no shared chunks: one bundle holds everything and each subpath re-exports it, so
  // `instanceof NexusApiError` holds whichever subpath threw.
  await esbuild.build({
    ...common,
    stdin: {
      contents: Object.values(ENTRIES)
        .map((name) => `export * from ${JSON.stringify(`./src/${name}.ts`)};`)
        .join("\n"),
      resolveDir: PACKAGE_DIR,
      sourcefile: "all.ts",
      loader: "ts",
    },
    format: "cjs",
    outfile: join(DIST, "cjs/bundle.cjs"),
  });
  for (const name of Object.values(ENTRIES)) {
    writeFileSync(
      join(DIST, "cjs", `${name}.cjs`),
      `"use strict";\nmodule.exports = require("./bundle.cjs");\n`,
    );
  }

  emitDeclarations();

  const entry = (name: string) => ({
    import: { types: `./types/client/src/${name}.d.ts`, default: `./esm/${name}.js` },
    require: { types: `./types/client/src/${name}.d.cts`, default: `./cjs/${name}.cjs` },
  });
  const exports: Record<string, unknown> = {};
  for (const [subpath, name] of Object.entries(ENTRIES)) exports[subpath] = entry(name);
  exports["./package.json"] = "./package.json";
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: "Client SDK of Nexus Central for desktop (Electron) and mobile (React Native) apps",
    type: "module",
    engines: { node: ">=20" },
    main: "./cjs/index.cjs",
    module: "./esm/index.js",
    types: "./types/client/src/index.d.ts",
    exports,
    // Lets bundlers drop the modules an app does not import (sync and live bring zod).
    sideEffects: false,
    // A range, so an app that has zod 4 already shares its copy.
    dependencies: { zod: `^${zodVersion.replace(/^[\^~]/, "")}` },
  };
  writeFileSync(join(DIST, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  writeFileSync(join(DIST, "README.md"), readFileSync(join(PACKAGE_DIR, "README.md")));
}

/** tsc writes client and contracts declarations; imports are then pointed at files inside dist/. */
function emitDeclarations(): void {
  const tsc = join(REPO_ROOT, "node_modules/.bin/tsc");
  execFileSync(tsc, ["-p", join(PACKAGE_DIR, "tsconfig.build.json")], { stdio: "inherit" });
  const types = join(DIST, "types");
  for (const file of walk(types).filter((path) => path.endsWith(".d.ts"))) {
    const fromDir = dirname(file);
    const contractsIndex = join(types, "contracts/src/index.js");
    let text = readFileSync(file, "utf8");
    text = text
      .replace(/(from\s+|import\()"@nexus\/contracts"/g, (_, lead: string) => {
        const path = relative(fromDir, contractsIndex);
        return `${lead}"${path.startsWith(".") ? path : `./${path}`}"`;
      })
      .replace(/(from\s+|import\()"(\.{1,2}\/[^"]+)\.ts"/g, '$1"$2.js"');
    writeFileSync(file, text);
    // The same declarations for `require`: in a "type": "module" package a .d.ts describes an ES
    // module, which TypeScript (module node16+) refuses to let CommonJS code require.
    writeFileSync(
      file.replace(/\.d\.ts$/, ".d.cts"),
      text.replace(/(from\s+|import\()"(\.{1,2}\/[^"]+)\.js"/g, '$1"$2.cjs"'),
    );
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

await build();
