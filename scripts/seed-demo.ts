// Demo data for local development, created through the API itself so it goes through the same
// registration, seat and audit paths as real data. Safe to run again: it finds what exists.
import { join } from "node:path";
import { run } from "../packages/cli/src/cli.ts";
import { makeDemoRelease } from "./demo-release.ts";
export const DEMO_COMPANY = {
  company_code: "DEM-000001",
  company_name: "Demo Manufacturing",
  admin_email: "admin@demo-manufacturing.example",
  subscription_tier: "professional",
  max_installations: 50,
} as const;

export const DEMO_INSTALLATIONS = [
  {
    machine_id: "demo-machine-01",
    hostname: "SHOP-FLOOR-01",
    username: "operator",
    os_version: "Windows 11 23H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-02",
    hostname: "OFFICE-PC-02",
    username: "planner",
    os_version: "Windows 10 22H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-03",
    hostname: "QA-LAPTOP-03",
    username: "inspector",
    os_version: "macOS 15.1",
    app_version: "1.3.0",
  },
] as const;

/** Two stable releases, so the demo installations on 1.4.2 see an update they can download differentially. */
export const DEMO_RELEASES = ["1.4.2", "1.5.0"] as const;

interface SeedResult {
  companyId: string;
  companyCode: string;
  installations: number;
  /** An installation token of the first demo machine (valid for INSTALLATION_TOKEN_TTL_SECONDS). */
  installationToken: string;
}

async function request<T>(
  baseUrl: string,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function seedDemo(
  baseUrl: string,
  adminSecret: string,
  log: (line: string) => void,
): Promise<SeedResult> {
  const { companies } = await request<{ companies: { id: string; company_code: string }[] }>(
    baseUrl,
    `/api/admin/companies?q=${DEMO_COMPANY.company_code}`,
    { token: adminSecret },
  );
  let companyId = companies.find((company) => company.company_code === DEMO_COMPANY.company_code)?.id;
  if (companyId) {
    log(`demo company ${DEMO_COMPANY.company_code} already exists; keeping it`);
  } else {
    const registered = await request<{ company_id: string }>(baseUrl, "/api/company/register", {
      method: "POST",
      token: adminSecret,
      headers: { "idempotency-key": "seed-demo-company" },
      body: JSON.stringify({
        company_code: DEMO_COMPANY.company_code,
        company_name: DEMO_COMPANY.company_name,
        admin_email: DEMO_COMPANY.admin_email,
        subscription_tier: DEMO_COMPANY.subscription_tier,
      }),
    });
    companyId = registered.company_id;
    log(`registered ${DEMO_COMPANY.company_name} (${DEMO_COMPANY.company_code})`);
  }
  await request(baseUrl, `/api/admin/companies/${companyId}`, {
    method: "PATCH",
    token: adminSecret,
    body: JSON.stringify({ max_installations: DEMO_COMPANY.max_installations }),
  });
  let installationToken = "";
  for (const installation of DEMO_INSTALLATIONS) {
    const joined = await request<{ installation: { token: string } }>(baseUrl, "/api/company/validate", {
      method: "POST",
      body: JSON.stringify({ company_code: DEMO_COMPANY.company_code, ...installation }),
    });
    await request(baseUrl, "/api/company/heartbeat", {
      method: "POST",
      token: joined.installation.token,
      body: JSON.stringify({
        company_code: DEMO_COMPANY.company_code,
        machine_id: installation.machine_id,
        app_version: installation.app_version,
      }),
    });
    installationToken ||= joined.installation.token;
  }
  log(`${DEMO_INSTALLATIONS.length} demo installations joined and sent a heartbeat`);
  return {
    companyId,
    companyCode: DEMO_COMPANY.company_code,
    installations: DEMO_INSTALLATIONS.length,
    installationToken,
  };
}

/**
 * Builds electron-builder-like output for each demo version (Windows, macOS and Linux installers
 * with real blockmaps) under `workDir` and publishes it to `stable` with `nexus release publish`,
 * which finds an already published version and leaves it alone.
 */
export async function seedDemoReleases(
  baseUrl: string,
  adminSecret: string,
  workDir: string,
  log: (line: string) => void,
): Promise<void> {
  for (const version of DEMO_RELEASES) {
    const { dir } = await makeDemoRelease({
      dir: join(workDir, version),
      version,
      seed: "nexus-demo",
      releaseName: `Nexus ${version}`,
      releaseNotes: `Demo release ${version}.`,
    });
    const output: string[] = [];
    const sink = { write: (text: string) => void output.push(text) };
    const code = await run(
      ["release", "publish", dir, "--channel", "stable", "--url", baseUrl, "--admin-secret", adminSecret],
      { env: {}, cwd: process.cwd(), stdout: sink, stderr: sink, fetch },
    );
    if (code !== 0) throw new Error(`publishing demo release ${version} failed:\n${output.join("")}`);
    log(`demo release ${version} on stable (${dir})`);
  }
}
