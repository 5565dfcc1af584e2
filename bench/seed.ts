// Creates the data the routes need through the public API (not SQL), so the rows look exactly
// like production's and the seed breaks loudly if the API's contract changes.

import {
  RegisterResponseSchema,
  ValidateResponseSchema,
} from "../packages/contracts/src/company-app/schemas.ts";
import { InstallationListSchema } from "../packages/contracts/src/installations/schemas.ts";
import { type HubStats, HubStatsSchema } from "../packages/contracts/src/live/schemas.ts";
import type { RateLimitPolicy } from "../packages/contracts/src/rate-limits/schemas.ts";
import { ReleaseResponseSchema } from "../packages/contracts/src/releases/schemas.ts";
import { routes } from "../packages/contracts/src/routes.ts";
import { signUpCompanyOwner } from "../scripts/seed-demo.ts";
import { SEEDED_INSTALLATIONS, type SeedContext, type SeededInstallation } from "./routes.ts";

/**
 * The seeded tier's validate limit during the bench (the contract's maximum). The default, 10 per
 * minute per IP, would turn the validate route into a measurement of 429s.
 */
/** The bench company's owner, signed up as a dashboard user. */
const BENCH_OWNER = { email: "bench@example.com", password: "bench-owner-password", name: "Bench Owner" };

export const BENCH_VALIDATE_LIMIT: RateLimitPolicy = { limit: 1_000_000, window_seconds: 60 };

async function callApiWithHeaders(
  baseUrl: URL,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`seed: ${method} ${path} -> ${response.status}: ${text}`);
  return { body: JSON.parse(text), headers: response.headers };
}

async function callApi(
  baseUrl: URL,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<unknown> {
  return (await callApiWithHeaders(baseUrl, method, path, body, token)).body;
}

/**
 * Throws unless a validate answer carries the bench's limit (`RateLimit-Policy: "validate";q=N;w=S`):
 * a hub still on the default 10/min would turn the validate route into a measurement of 429s.
 */
function assertBenchValidateLimit(headers: Headers): void {
  const policy = headers.get("ratelimit-policy");
  const expected = `"validate";q=${BENCH_VALIDATE_LIMIT.limit};w=${BENCH_VALIDATE_LIMIT.window_seconds}`;
  if (policy !== expected) {
    throw new Error(
      `seed: validate answered with RateLimit-Policy ${JSON.stringify(policy)}, expected ${expected}: the raised limit did not reach the company's hub`,
    );
  }
}

/** The company's CompanyHub counters (operator route). */
export async function fetchHubStats(baseUrl: URL, adminSecret: string, companyId: string): Promise<HubStats> {
  const path = routes.hubStats.path.replace("{companyId}", encodeURIComponent(companyId));
  return HubStatsSchema.parse(await callApi(baseUrl, "GET", path, undefined, adminSecret));
}

export async function seed(baseUrl: URL, adminSecret: string): Promise<SeedContext> {
  const company = RegisterResponseSchema.parse(
    await callApi(
      baseUrl,
      "POST",
      routes.register.path,
      { company_name: "Bench Company", admin_email: BENCH_OWNER.email },
      adminSecret,
    ),
  );
  const tier = company.subscription_tier;
  // Before the PATCH below: that PATCH makes the company's hub reload its state, limits included.
  // Same for update checks (default 60 per hour per installation).
  for (const name of ["validate", "update_check"]) {
    await callApi(
      baseUrl,
      "PUT",
      routes.setRateLimit.path.replace("{tier}", encodeURIComponent(tier)).replace("{name}", name),
      BENCH_VALIDATE_LIMIT,
      adminSecret,
    );
  }
  // The tier's default seat limit is small; routes that add installations must not hit it.
  await callApi(
    baseUrl,
    "PATCH",
    routes.updateCompany.path.replace("{companyId}", encodeURIComponent(company.company_id)),
    { max_installations: 10_000 },
    adminSecret,
  );
  const installations: SeededInstallation[] = [];
  for (let i = 1; i <= SEEDED_INSTALLATIONS; i++) {
    const machineId = `bench-machine-${String(i).padStart(4, "0")}`;
    const answer = await callApiWithHeaders(baseUrl, "POST", routes.validate.path, {
      company_code: company.company_code,
      machine_id: machineId,
      hostname: "bench-host",
      app_version: "1.0.0",
    });
    assertBenchValidateLimit(answer.headers);
    const validated = ValidateResponseSchema.parse(answer.body);
    const secret = validated.installation.secret;
    if (!secret) throw new Error(`seed: validate answered no installation secret for ${machineId}`);
    installations.push({ machineId, token: validated.installation.token, secret });
  }
  const [first] = installations;
  if (!first) throw new Error("seed: no installation validated");
  // The IP the API saw (Miniflare sets CF-Connecting-IP from the socket's peer): every bench
  // request comes from it, so all of them share one per-IP rate-limit bucket.
  const listed = InstallationListSchema.parse(
    await callApi(
      baseUrl,
      "GET",
      `${routes.listInstallations.path.replace("{companyId}", encodeURIComponent(company.company_id))}?limit=1`,
      undefined,
      adminSecret,
    ),
  );
  const clientIp = listed.installations[0]?.ip_address ?? null;
  await seedReleases(baseUrl, adminSecret);
  // A dashboard user's session, for the routes a signed-in browser calls.
  const owner = await signUpCompanyOwner(baseUrl.origin, adminSecret, BENCH_OWNER);
  if (!owner.joined) throw new Error("seed: the bench company sent no owner invitation");
  return {
    ownerCookie: owner.cookie,
    adminSecret,
    companyId: company.company_id,
    companyCode: company.company_code,
    machineId: first.machineId,
    installationToken: first.token,
    installationSecret: first.secret,
    tier,
    installations,
    clientIp,
  };
}

/** A file's sha512 as electron-builder writes it (base64). */
async function sha512Base64(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await crypto.subtle.digest("SHA-512", bytes)).toString("base64");
}

/**
 * Two stable releases for the feed routes, the newer one at a 50 % rollout, so a channel-file
 * request walks the whole selection (channel chain, versions, cohort) rather than a trivial case.
 */
async function seedReleases(baseUrl: URL, adminSecret: string): Promise<void> {
  for (const [version, rollout] of [
    ["1.0.0", 100],
    ["1.1.0", 50],
  ] as const) {
    const files = ["win", "mac", "linux"].map((platform, index) => ({
      name: `Nexus-${version}-${platform}.bin`,
      platform,
      bytes: new Uint8Array(4096).fill(index + 1),
    }));
    const declared = await Promise.all(
      files.map(async (file) => ({
        name: file.name,
        platform: file.platform,
        size: file.bytes.byteLength,
        sha512: await sha512Base64(file.bytes),
      })),
    );
    const created = ReleaseResponseSchema.parse(
      await callApi(
        baseUrl,
        "POST",
        routes.createRelease.path,
        { channel: "stable", version, files: declared },
        adminSecret,
      ),
    );
    for (const file of files) {
      const path = routes.uploadReleaseFile.path
        .replace("{releaseId}", encodeURIComponent(created.release.id))
        .replace("{fileName}", encodeURIComponent(file.name));
      const response = await fetch(new URL(path, baseUrl), {
        method: "PUT",
        headers: { authorization: `Bearer ${adminSecret}`, "content-type": "application/octet-stream" },
        body: file.bytes,
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok)
        throw new Error(`seed: upload ${file.name} -> ${response.status}: ${await response.text()}`);
    }
    await callApi(
      baseUrl,
      "POST",
      routes.publishRelease.path.replace("{releaseId}", encodeURIComponent(created.release.id)),
      { rollout: { percent: rollout } },
      adminSecret,
    );
  }
}
