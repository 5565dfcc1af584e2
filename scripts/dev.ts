// `pnpm dev`: migrate, start the API on the local Cloudflare runtime, seed demo data, serve the
// dashboard beside it, print the way in.
// pnpm installs dependencies before running this script, so a bare machine needs nothing else.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { formatDevVars, generateSecrets } from "../packages/cli/src/commands/secrets.ts";
import { buildDashboard, dashboardRoot } from "../workers/dashboard/build.ts";
import { readPagesConfig } from "../workers/dashboard/pages-config.ts";
import { writeDemoCredentials } from "./demo-credentials.ts";
import { ensureDevVars, optionalSecretArgs } from "./dev-vars.ts";
import { llmStandInVars } from "./llm-stand-ins/handler.ts";
import { startLlmStandIns } from "./llm-stand-ins/server.ts";
import { notifyStandInVars, RESEND_STAND_IN_API_KEY } from "./notify-stand-ins/handler.ts";
import { startNotifyStandIns } from "./notify-stand-ins/server.ts";
import { newVapidKeys } from "./notify-stand-ins/vapid-keys.ts";
import { seedDemoCrm } from "./seed-crm.ts";
import {
  DEMO_COMPANY,
  DEMO_INSTALLATIONS,
  DEMO_LOGINS,
  DEMO_RELEASES,
  seedDemo,
  seedDemoReleases,
  seedDemoUsers,
} from "./seed-demo.ts";
import { seedDemoDocuments } from "./seed-documents.ts";
import { seedDemoErrors } from "./seed-errors.ts";
import { seedDemoLlm } from "./seed-llm.ts";
import { seedDemoNotifications } from "./seed-notifications.ts";
import { seedDemoSearch } from "./seed-search.ts";
import { DEMO_MACHINES, seedDemoTelemetry } from "./seed-telemetry.ts";

const root = join(import.meta.dirname, "..");
const HOST = "127.0.0.1";
const PORT = Number(process.env.PORT ?? 8787);
const baseUrl = `http://${HOST}:${PORT}`;
const DASHBOARD_PORT = Number(process.env.DASHBOARD_PORT ?? 8788);
const dashboardUrl = `http://${HOST}:${DASHBOARD_PORT}`;
const wrangler = join(root, "node_modules/.bin/wrangler");
const log = (line: string) => console.log(`[dev] ${line}`);
// Written when the demo is ready (demo-credentials.ts); an earlier run's file must not say so now.
const demoFile = join(root, ".wrangler", "demo.json");
rmSync(demoFile, { force: true });

const { vars, created } = ensureDevVars(join(root, ".dev.vars"), () => formatDevVars(generateSecrets()));
log(created ? "generated local secrets in .dev.vars" : "using existing .dev.vars");
const apiConfig = unstable_readConfig({ config: join(root, "wrangler.toml") }, { hideWarnings: true });
const optionalSecrets = optionalSecretArgs(vars, {
  vars: apiConfig.vars,
  requiredSecrets: apiConfig.secrets?.required ?? [],
});
if (optionalSecrets.names.length > 0) {
  log(`passing the optional secrets ${optionalSecrets.names.join(", ")} from .dev.vars to the API`);
}
// workers/consumers reads its own .dev.vars: the same master key (it decrypts webhook signing
// secrets the API sealed), and local webhook URLs allowed as in the API.
writeFileSync(
  join(root, "workers/consumers/.dev.vars"),
  `# Written by \`pnpm dev\` from the root .dev.vars; never commit this file.\nENCRYPTION_KEYS=${vars.ENCRYPTION_KEYS}\nWEBHOOK_URL_POLICY=local\n`,
  { mode: 0o600 },
);

log("applying central database migrations (local)");
execFileSync(wrangler, ["d1", "migrations", "apply", "CENTRAL_DB", "--local"], {
  cwd: root,
  stdio: "inherit",
});

// The LLM gateway's providers: local stand-ins speaking OpenAI's, Anthropic's and Gemini's wire
// formats (no key or network needed), unless LLM_STAND_INS=off, when .dev.vars decides.
const LLM_STAND_IN_PORT = Number(process.env.LLM_STAND_IN_PORT ?? 8790);
const llmStandIns =
  process.env.LLM_STAND_INS === "off"
    ? undefined
    : await startLlmStandIns({ host: HOST, port: LLM_STAND_IN_PORT });
if (llmStandIns) log(`LLM provider stand-ins on ${llmStandIns.url} (LLM_STAND_INS=off to use .dev.vars)`);
const llmArgs = Object.entries(llmStandIns ? llmStandInVars(llmStandIns.url) : {}).flatMap(
  ([name, value]) => ["--var", `${name}:${value}`],
);

// Notification providers: stand-ins for Resend, Twilio and a Web Push service, posting their delivery
// webhooks back to the API (unless NOTIFY_STAND_INS=off, when .dev.vars decides). Email goes to the
// Resend stand-in first, then to the simulated Email Service binding. VAPID keys and a Twilio token
// come from .dev.vars when set there (keep VAPID keys there: browsers' subscriptions are bound to them).
const NOTIFY_STAND_IN_PORT = Number(process.env.NOTIFY_STAND_IN_PORT ?? 8791);
const notifyStandIns =
  process.env.NOTIFY_STAND_INS === "off"
    ? undefined
    : await startNotifyStandIns({ host: HOST, port: NOTIFY_STAND_IN_PORT, callbackOrigin: baseUrl });
if (notifyStandIns) {
  log(`notification provider stand-ins on ${notifyStandIns.url} (NOTIFY_STAND_INS=off to use .dev.vars)`);
}
const notifyVars: Record<string, string> = notifyStandIns
  ? {
      ...notifyStandInVars(notifyStandIns.url),
      NOTIFY_EMAIL_PROVIDERS: "resend,cloudflare",
      ...(vars.RESEND_API_KEY ? {} : { RESEND_API_KEY: RESEND_STAND_IN_API_KEY }),
      ...(vars.TWILIO_AUTH_TOKEN ? {} : { TWILIO_AUTH_TOKEN: "dev-twilio-auth-token-0123456789" }),
      ...(vars.VAPID_PUBLIC_KEY && vars.VAPID_PRIVATE_KEY ? {} : newVapidKeys()),
    }
  : {};
const notifyArgs = Object.entries(notifyVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);

log(`starting the API on ${baseUrl}, with workers/consumers consuming its queue`);
const server = spawn(
  wrangler,
  [
    "dev",
    // Both workers in one local runtime: the API produces to the queues the consumers worker
    // consumes, and both bind the same local D1 databases.
    "-c",
    "wrangler.toml",
    "-c",
    "workers/consumers/wrangler.toml",
    "--ip",
    HOST,
    "--port",
    String(PORT),
    // better-auth checks request origins against it.
    "--var",
    `PUBLIC_URL:${baseUrl}`,
    // The dashboard signs in from its own origin (through its /api proxy): trust it, under either name.
    "--var",
    `DASHBOARD_ORIGINS:${dashboardUrl},http://localhost:${DASHBOARD_PORT}`,
    // Webhook endpoints on this machine (http://127.0.0.1:…) are allowed in local development.
    "--var",
    "WEBHOOK_URL_POLICY:local",
    ...optionalSecrets.args,
    ...llmArgs,
    ...notifyArgs,
    "--show-interactive-dev-session=false",
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);
let dashboard: ChildProcess | undefined;
const stop = () => {
  server.kill("SIGINT");
  dashboard?.kill("SIGINT");
  void llmStandIns?.stop();
  void notifyStandIns?.stop();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  dashboard?.kill("SIGINT");
  void llmStandIns?.stop();
  void notifyStandIns?.stop();
  process.exit(code ?? 0);
});
// Built while the API starts; served once the API is up (the dashboard's proxy needs it).
const dashboardBuilt = buildDashboard();
// A failed build is reported where it is awaited; until then it must not count as unhandled.
dashboardBuilt.catch(() => undefined);

/**
 * The dashboard's Pages project on `wrangler pages dev`: the built SPA, and the /api proxy whose
 * `API` binding reaches the `wrangler dev` above through wrangler's local dev registry.
 */
function startDashboard(dist: string): ChildProcess {
  const { api } = readPagesConfig();
  const child = spawn(
    wrangler,
    [
      "pages",
      "dev",
      dist,
      "--service",
      `${api.binding}=${api.service}`,
      "--ip",
      HOST,
      "--port",
      String(DASHBOARD_PORT),
      "--show-interactive-dev-session=false",
    ],
    // Its folder holds the Pages project's wrangler.jsonc and functions/.
    { cwd: dashboardRoot, stdio: ["ignore", "inherit", "inherit"] },
  );
  child.on("exit", (code) => {
    server.kill("SIGINT");
    process.exitCode = code ?? 0;
  });
  return child;
}

async function waitForOk(url: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s`);
}

try {
  await waitForOk(`${baseUrl}/health`, "the API", 90_000);
  log(`starting the dashboard on ${dashboardUrl}`);
  dashboard = startDashboard(await dashboardBuilt);
  const demo = await seedDemo(baseUrl, vars.NEXUS_ADMIN_SECRET, log);
  await seedDemoUsers(baseUrl, vars.NEXUS_ADMIN_SECRET, log);
  await seedDemoTelemetry(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, demo.installationToken, log);
  await seedDemoDocuments(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  await seedDemoCrm(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  await seedDemoSearch(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  await seedDemoNotifications(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  const llm = await seedDemoLlm(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  const errors = await seedDemoErrors(baseUrl, vars.NEXUS_ADMIN_SECRET, demo.companyId, log);
  log("building and publishing the demo releases");
  await seedDemoReleases(baseUrl, vars.NEXUS_ADMIN_SECRET, join(root, ".wrangler", "demo-releases"), log);
  await waitForOk(`${dashboardUrl}/api/auth/get-session`, "the dashboard", 60_000);
  const [firstInstallation] = DEMO_INSTALLATIONS;
  writeDemoCredentials(demoFile, {
    ready_at: new Date().toISOString(),
    api_url: baseUrl,
    dashboard_url: dashboardUrl,
    docs_url: `${baseUrl}/docs`,
    openapi_url: `${baseUrl}/openapi.json`,
    operator: { authorization: `Bearer ${vars.NEXUS_ADMIN_SECRET}`, login: DEMO_LOGINS.operator },
    operator_secret: vars.NEXUS_ADMIN_SECRET,
    company_id: demo.companyId,
    company_code: DEMO_COMPANY.company_code,
    api_key: llm.apiKey,
    llm_base_url: `${baseUrl}/api/llm/v1`,
    llm_model: llm.model,
    sentry_dsn: errors.dsn,
    company: {
      id: demo.companyId,
      name: DEMO_COMPANY.company_name,
      code: DEMO_COMPANY.company_code,
      seats: DEMO_COMPANY.max_installations,
    },
    owner: DEMO_LOGINS.owner,
    installation: {
      machine_id: firstInstallation.machine_id,
      installation_secret: firstInstallation.installation_secret,
      token: demo.installationToken,
      token_note: "valid for an hour; validate with machine_id and installation_secret for a new one",
    },
    update_feed_url: `${baseUrl}/api/updates?company_code=${DEMO_COMPANY.company_code}`,
    releases: [...DEMO_RELEASES],
  });
  console.log(`
  Nexus Central is running locally.

    Dashboard    ${dashboardUrl}   (sign in with a login below)
    API          ${baseUrl}
    API docs     ${baseUrl}/docs   (OpenAPI: ${baseUrl}/openapi.json)
    Health       ${baseUrl}/health

    Demo company ${DEMO_COMPANY.company_name}, code ${DEMO_COMPANY.company_code}, ${DEMO_COMPANY.max_installations} seats
    Operator     Authorization: Bearer ${vars.NEXUS_ADMIN_SECRET}
                 (NEXUS_ADMIN_SECRET in .dev.vars)

    Logins (POST ${baseUrl}/api/auth/sign-in/email with {"email", "password"}):
      platform operator   ${DEMO_LOGINS.operator.email} / ${DEMO_LOGINS.operator.password}
      company owner       ${DEMO_LOGINS.owner.email} / ${DEMO_LOGINS.owner.password}
    Mail sent locally   GET ${baseUrl}/api/admin/mail-outbox (operator credential)

  Try:
    curl -s ${baseUrl}/api/company/validate -H 'content-type: application/json' -d '{"company_code":"${DEMO_COMPANY.company_code}","machine_id":"my-pc","hostname":"MY-PC","installation_secret":"nxi_my-pc-local-secret-0123456789abcdef"}'
    curl -s -H "Authorization: Bearer $(grep ^NEXUS_ADMIN_SECRET .dev.vars | cut -d= -f2)" ${baseUrl}/api/admin/companies

  Telemetry: ${DEMO_MACHINES.length} demo machines with charts' worth of data, e.g.
    curl -s -H "Authorization: Bearer $(grep ^NEXUS_ADMIN_SECRET .dev.vars | cut -d= -f2)" ${baseUrl}/api/admin/companies/${demo.companyId}/fleet

  LLM gateway (OpenAI-compatible; providers are local stand-ins): base URL ${baseUrl}/api/llm/v1,
  model "${llm.model}", with the demo company's API key (api_key in ${demoFile}):
    curl -s ${baseUrl}/api/llm/v1/chat/completions -H "Authorization: Bearer ${llm.apiKey}" -H 'content-type: application/json' -d '{"model":"${llm.model}","messages":[{"role":"user","content":"Hello"}]}'

  Error tracking: give a Sentry SDK (@sentry/electron, @sentry/node, @sentry/browser) the demo DSN
    Sentry.init({ dsn: "${errors.dsn}", release: "nexus-desktop@${DEMO_RELEASES.at(-1)}" })

  Updates: releases ${DEMO_RELEASES.join(" and ")} on stable (Windows, macOS, Linux, with blockmaps).
  Point electron-updater's generic provider at ${baseUrl}/api/updates?company_code=${DEMO_COMPANY.company_code}
  with the header Authorization: Bearer <installation token>, e.g. (token valid for an hour):
    curl -s -H "Authorization: Bearer ${demo.installationToken}" '${baseUrl}/api/updates/latest.yml?company_code=${DEMO_COMPANY.company_code}'

  All of the above, for tools: ${demoFile}
  Local state lives in .wrangler/state and is kept between runs. Ctrl-C stops.
`);
} catch (error) {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  stop();
  process.exitCode = 1;
}
