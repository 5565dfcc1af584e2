// Demo data for local development, created through the API itself so it goes through the same
// registration, seat and audit paths as real data. Safe to run again: it finds what exists.
import { join } from "node:path";
import { run } from "../packages/cli/src/cli.ts";
import { request } from "./api-request.ts";
import { makeDemoRelease } from "./demo-release.ts";
export const DEMO_COMPANY = {
  company_code: "DEM-000001",
  company_name: "Demo Manufacturing",
  admin_email: "admin@demo-manufacturing.example",
  subscription_tier: "professional",
  max_installations: 50,
} as const;

// Each demo machine's installation secret is fixed (and public: local demo data only), so a second
// `pnpm dev` over the kept state, or a test validating a demo machine again, is that same machine: a
// bound installation refuses a validate without its secret.
export const DEMO_INSTALLATIONS = [
  {
    machine_id: "demo-machine-01",
    installation_secret: "nxi_local-demo-secret-of-demo-machine-01",
    hostname: "SHOP-FLOOR-01",
    username: "operator",
    os_version: "Windows 11 23H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-02",
    installation_secret: "nxi_local-demo-secret-of-demo-machine-02",
    hostname: "OFFICE-PC-02",
    username: "planner",
    os_version: "Windows 10 22H2",
    app_version: "1.4.2",
  },
  {
    machine_id: "demo-machine-03",
    installation_secret: "nxi_local-demo-secret-of-demo-machine-03",
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
      ["release", "publish", dir, "--channel", "stable", "--url", baseUrl, `--admin-secret=${adminSecret}`],
      { env: {}, cwd: process.cwd(), stdout: sink, stderr: sink, fetch },
    );
    if (code !== 0) throw new Error(`publishing demo release ${version} failed:\n${output.join("")}`);
    log(`demo release ${version} on stable (${dir})`);
  }
}

/** Local demo logins (a local database on a developer's machine; never deployed). */
export const DEMO_LOGINS = {
  operator: { email: "operator@nexus.local", password: "nexus-demo-operator", name: "Demo Operator" },
  owner: { email: DEMO_COMPANY.admin_email, password: "nexus-demo-owner", name: "Demo Owner" },
} as const;

/** POST to better-auth as a browser on the API's own origin would; returns the answer and cookies. */
async function authPost(baseUrl: string, path: string, body: unknown, cookie = "") {
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const setCookies = response.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  return { response, text: await response.text(), cookie: setCookies || cookie };
}

/**
 * A demo platform operator, and the demo company's owner: signed up with the company's admin email,
 * address confirmed through the mailed link, the registration's owner invitation accepted.
 */
export async function seedDemoUsers(
  baseUrl: string,
  adminSecret: string,
  log: (line: string) => void,
): Promise<void> {
  const { operator, owner } = DEMO_LOGINS;
  const created = await fetch(`${baseUrl}/api/admin/operators`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminSecret}` },
    body: JSON.stringify(operator),
  });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating the demo operator answered ${created.status}: ${await created.text()}`);
  }
  const signedIn = await authPost(baseUrl, "/sign-in/email", {
    email: owner.email,
    password: owner.password,
  });
  if (signedIn.response.ok) {
    log(`demo owner ${owner.email} already exists; keeping it`);
    return;
  }
  const joined = await signUpCompanyOwner(baseUrl, adminSecret, owner);
  if (!joined.joined) {
    // Local state from before companies were organizations: nothing to join.
    log(`no owner invitation for ${DEMO_COMPANY.company_code}; delete .wrangler/state to seed it afresh`);
    return;
  }
  log(`demo owner ${owner.email} signed up and joined ${DEMO_COMPANY.company_name} as owner`);
}

/**
 * Signs up a company's admin email as a dashboard user, confirms the address through the mailed
 * link and accepts the owner invitation the company's registration sent. Answers the session
 * cookie, and whether there was an invitation to accept.
 */
export async function signUpCompanyOwner(
  baseUrl: string,
  adminSecret: string,
  owner: { email: string; password: string; name: string },
): Promise<{ cookie: string; joined: boolean }> {
  const signedUp = await authPost(baseUrl, "/sign-up/email", owner);
  if (!signedUp.response.ok)
    throw new Error(`signing up ${owner.email} answered ${signedUp.response.status}: ${signedUp.text}`);
  const outbox = await request<{ mail: { subject: string; text: string }[] }>(
    baseUrl,
    `/api/admin/mail-outbox?to=${encodeURIComponent(owner.email)}&limit=50`,
    { token: adminSecret },
  );
  const verifyLink = outbox.mail
    .find((mail) => mail.subject.startsWith("Confirm"))
    ?.text.match(/https?:\/\/\S+/)?.[0];
  const invitationId = outbox.mail
    .find((mail) => mail.subject.startsWith("You are invited"))
    ?.text.match(/Invitation id: (\S+)/)?.[1];
  if (!verifyLink) throw new Error(`the verification mail to ${owner.email} is missing`);
  await fetch(verifyLink, { redirect: "manual" });
  if (!invitationId) return { cookie: signedUp.cookie, joined: false };
  const accepted = await authPost(
    baseUrl,
    "/organization/accept-invitation",
    { invitationId },
    signedUp.cookie,
  );
  if (!accepted.response.ok)
    throw new Error(`accepting the owner invitation answered ${accepted.response.status}: ${accepted.text}`);
  return { cookie: signedUp.cookie, joined: true };
}
