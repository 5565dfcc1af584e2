// Optional secrets a developer puts in .dev.vars (inbound webhook secrets, RESEND_API_KEY) must reach
// the API under `pnpm dev`, although `wrangler dev` alone loads only the secrets wrangler.toml's
// [secrets] block requires. The second test runs the real `wrangler dev` with the arguments
// scripts/dev.ts builds, on a .dev.vars-style file of its own.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { devVarsLine, formatDevVars, generateSecrets } from "../packages/cli/src/commands/secrets.ts";
import { optionalSecretArgs, parseDevVars } from "./dev-vars.ts";
import { freeLocalPort } from "./free-port.ts";

const root = join(import.meta.dirname, "..");
const wrangler = join(root, "node_modules/.bin/wrangler");
const apiConfig = unstable_readConfig({ config: join(root, "wrangler.toml") }, { hideWarnings: true });
const config = { vars: apiConfig.vars, requiredSecrets: apiConfig.secrets?.required ?? [] };

describe("optionalSecretArgs", () => {
  it("passes what wrangler dev drops, and neither the required secrets nor the [vars] it overrides", () => {
    const secrets = generateSecrets();
    const { names, args } = optionalSecretArgs(
      {
        ...secrets,
        REGISTRATION_MODE: "open",
        STRIPE_WEBHOOK_SECRET: "whsec_local",
        WEBHOOK_SENDERS: '{"docusign":"whsec_a:b"}',
      },
      config,
    );
    expect(config.requiredSecrets).toContain("NEXUS_ADMIN_SECRET");
    expect(names).toEqual(["STRIPE_WEBHOOK_SECRET", "WEBHOOK_SENDERS"]);
    // wrangler splits a --var at its first colon only, so JSON and colons survive.
    expect(args).toEqual([
      "--var",
      "STRIPE_WEBHOOK_SECRET:whsec_local",
      "--var",
      'WEBHOOK_SENDERS:{"docusign":"whsec_a:b"}',
    ]);
  });
});

describe("an optional secret in .dev.vars under wrangler dev", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it("reaches the API: GitHub webhooks signed with it are accepted, others refused", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "nexus-dev-vars-"));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    const githubSecret = "local:github/webhook+secret=1";
    const devVars = join(tmp, ".dev.vars");
    await writeFile(
      devVars,
      `${formatDevVars(generateSecrets())}${devVarsLine("GITHUB_WEBHOOK_SECRET", githubSecret)}\n`,
    );
    const { args } = optionalSecretArgs(parseDevVars(await readFile(devVars, "utf8")), config);

    const state = join(tmp, "state");
    const env = {
      ...process.env,
      // Its own dev registry, so a `pnpm dev` running beside the test never reaches this API.
      WRANGLER_REGISTRY_PATH: join(tmp, "registry"),
      WRANGLER_SEND_METRICS: "false",
    };
    await promisify(execFile)(
      wrangler,
      ["d1", "migrations", "apply", "CENTRAL_DB", "--local", "--persist-to", state],
      { cwd: root, env },
    );
    const port = await freeLocalPort();
    const server: ChildProcess = spawn(
      wrangler,
      [
        "dev",
        "-c",
        "wrangler.toml",
        // In place of the developer's .dev.vars, loaded by the same rules.
        "--env-file",
        devVars,
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        state,
        ...args,
        "--show-interactive-dev-session=false",
      ],
      // Its own process group: stopping it stops workerd too.
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let output = "";
    server.stdout?.on("data", (chunk) => (output += chunk));
    server.stderr?.on("data", (chunk) => (output += chunk));
    cleanup.push(async () => {
      if (server.exitCode !== null || server.pid === undefined) return;
      const exited = once(server, "exit");
      process.kill(-server.pid, "SIGINT");
      const timer = setTimeout(() => server.pid && process.kill(-server.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    });

    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer /health:\n${output}`);
      const health = await fetch(`${base}/health`).catch(() => undefined);
      if (health?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const payload = JSON.stringify({ action: "published", release: { tag_name: "v2" } });
    const post = async (secret: string, delivery: string) =>
      fetch(`${base}/api/webhooks/github`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "release",
          "x-github-delivery": delivery,
          "x-hub-signature-256": await githubSign(secret, payload),
        },
        body: payload,
      });
    // Without the secret the provider is off: 404 WEBHOOK_PROVIDER_NOT_CONFIGURED.
    const wrong = await post("not-the-github-secret-at-all", "d-1");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "WEBHOOK_SIGNATURE_INVALID" } });
    const signed = await post(githubSecret, "d-2");
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ success: true, duplicate: false });
  }, 180_000);
});
