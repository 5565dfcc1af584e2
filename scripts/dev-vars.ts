// Local secrets for `pnpm dev`, kept in .dev.vars (gitignored, read by wrangler dev). Created once;
// later runs keep it, so local data encrypted or signed with these keys stays readable.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

export interface DevVars {
  NEXUS_ADMIN_SECRET: string;
  [name: string]: string;
}

/** Reads a dotenv-style file: NAME=value, NAME="value" or NAME='value' (literal). */
export function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1] || line.trimStart().startsWith("#")) continue;
    const raw = match[2] ?? "";
    const quoted = /^(['"])(.*)\1$/.exec(raw);
    vars[match[1]] = quoted
      ? quoted[1] === '"'
        ? (quoted[2] ?? "").replace(/\\n/g, "\n")
        : (quoted[2] ?? "")
      : raw;
  }
  return vars;
}

/**
 * Creates .dev.vars once; later runs keep its values and only append secrets added since (e.g. a
 * new required secret), generated fresh.
 */
export function ensureDevVars(path: string, generate: () => string): { vars: DevVars; created: boolean } {
  const created = !existsSync(path);
  if (created) {
    const header = [
      "# Local secrets for `pnpm dev` (generated; never commit this file).",
      "# REGISTRATION_MODE=open lets the desktop app's setup wizard register without a token, as in seed 000.",
      "REGISTRATION_MODE=open",
    ];
    writeFileSync(path, `${header.join("\n")}\n${generate()}`, { mode: 0o600 });
  }
  let vars = parseDevVars(readFileSync(path, "utf8"));
  if (!created) {
    const generated = generate();
    const missing = Object.keys(parseDevVars(generated)).filter((name) => !(name in vars));
    if (missing.length > 0) {
      const lines = generated
        .split("\n")
        .filter((line) => missing.some((name) => line.startsWith(`${name}=`)));
      appendFileSync(path, `${lines.join("\n")}\n`);
      vars = parseDevVars(readFileSync(path, "utf8"));
    }
  }
  if (!vars.NEXUS_ADMIN_SECRET) {
    throw new Error(`${path} has no NEXUS_ADMIN_SECRET. Delete the file to have it generated again.`);
  }
  return { vars: vars as DevVars, created };
}

/**
 * The .dev.vars entries `wrangler dev` would drop, as `--var NAME:value` arguments. With
 * `[secrets] required` in wrangler.toml it loads from .dev.vars only the required secrets and the
 * [vars] they override, so an optional secret (STRIPE_WEBHOOK_SECRET, RESEND_API_KEY, …) reaches the
 * API only when passed this way. The block stays: it types the required secrets, and `wrangler deploy`
 * refuses a deployment that lacks one. Arguments are visible to this machine's other processes (ps),
 * which is why only these optional, local (test-mode) values go that way, never the required ones.
 */
export function optionalSecretArgs(
  vars: Record<string, string>,
  config: { vars: Record<string, unknown>; requiredSecrets: readonly string[] },
): { names: string[]; args: string[] } {
  const names = Object.keys(vars).filter(
    (name) => !(name in config.vars) && !config.requiredSecrets.includes(name),
  );
  return { names, args: names.flatMap((name) => ["--var", `${name}:${vars[name]}`]) };
}
