#!/usr/bin/env node
// Entry point: `node packages/cli/src/main.ts <command>` (or `pnpm nexus <command>`). Node runs the
// TypeScript directly (type stripping), so this package has no build step.
import { run } from "./cli.ts";

try {
  process.exitCode = await run(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    fetch: (url, init) => fetch(url, init),
  });
} catch (error) {
  // Not a CliError: a bug, so show everything.
  console.error(error);
  process.exitCode = 1;
}
