// Creates the data the routes need through the public API (not SQL), so the rows look exactly
// like production's and the seed breaks loudly if the API's contract changes.

import { CreatedApiKeySchema } from "../packages/contracts/src/api-keys/schemas.ts";
import {
  RegisterResponseSchema,
  ValidateResponseSchema,
} from "../packages/contracts/src/company-app/schemas.ts";
import { InstallationListSchema } from "../packages/contracts/src/installations/schemas.ts";
import { type HubStats, HubStatsSchema } from "../packages/contracts/src/live/schemas.ts";
import {
  ChatCompletionSchema,
  type LlmPolicyInput,
  LlmPolicyResponseSchema,
} from "../packages/contracts/src/llm/schemas.ts";
import type { RateLimitPolicy } from "../packages/contracts/src/rate-limits/schemas.ts";
import { ReleaseResponseSchema } from "../packages/contracts/src/releases/schemas.ts";
import { routes } from "../packages/contracts/src/routes.ts";
import { llmStandInVars } from "../scripts/llm-stand-ins/handler.ts";
import { signUpCompanyOwner } from "../scripts/seed-demo.ts";
import { RAW_R2_PREFIX } from "./raw-r2-range.ts";
import {
  BENCH_LLM,
  llmChatBody,
  SEEDED_INSTALLATIONS,
  type SeedContext,
  type SeededArtifact,
  type SeededErrorProject,
  type SeededInstallation,
  type SeededLlm,
} from "./routes.ts";

/** The bench company's owner, signed up as a dashboard user. */
const BENCH_OWNER = { email: "bench@example.com", password: "bench-owner-password", name: "Bench Owner" };

/**
 * The seeded tier's validate limit during the bench (the contract's maximum), also used for
 * update_check, download and error_events. The default, 10 per minute per IP, would turn the validate route into
 * a measurement of 429s.
 */
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

/**
 * The bench company's LLM policy: the alias on the platform's OpenAI key (the stand-in), with
 * per-minute limits far above what 2 cores serve, so llm-gateway measures the gateway, not the
 * limiter's 429s. No budget: the reservation is still made and settled by the hub on every call.
 */
export const BENCH_LLM_POLICY = {
  models: [{ name: BENCH_LLM.alias, targets: [{ provider: BENCH_LLM.provider, model: BENCH_LLM.model }] }],
  requests_per_minute: 100_000,
  tokens_per_minute: 100_000_000,
} satisfies LlmPolicyInput;

export interface SeedOptions {
  /** Installations to validate (default SEEDED_INSTALLATIONS); the soak validates its N. */
  installations?: number;
  /** Progress lines (validating many installations takes a while). */
  log?: (line: string) => void;
  /** Origin of the running LLM stand-ins, which the API's provider vars point at. */
  llmStandInOrigin: string;
}

export async function seed(baseUrl: URL, adminSecret: string, options: SeedOptions): Promise<SeedContext> {
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
  // Same for update checks (default 60 per hour per installation) and downloads (5 per hour per
  // installation: a ranged request takes a token only when it opens an installation's download
  // session for a release, but the artifact-range route opens 50 and the soak checks often).
  for (const name of ["validate", "update_check", "download", "error_events"]) {
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
  const installations = await validateInstallations(
    baseUrl,
    company.company_code,
    options.installations ?? SEEDED_INSTALLATIONS,
    options.log ?? (() => {}),
  );
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
  const artifact = await seedReleases(baseUrl, adminSecret);
  // A dashboard user's session, for the routes a signed-in browser calls.
  const owner = await signUpCompanyOwner(baseUrl.origin, adminSecret, BENCH_OWNER);
  if (!owner.joined) throw new Error("seed: the bench company sent no owner invitation");
  const llm = await seedLlm(baseUrl, adminSecret, company.company_id, options.llmStandInOrigin);
  const errors = await seedErrorProject(baseUrl, adminSecret, company.company_id);
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
    artifact,
    llm,
    errors,
  };
}

/** A DSN for the Sentry ingest's routes (the tier's `error_events` limit was raised above). */
async function seedErrorProject(
  baseUrl: URL,
  adminSecret: string,
  companyId: string,
): Promise<SeededErrorProject> {
  const { project } = (await callApi(
    baseUrl,
    "POST",
    routes.createErrorProject.path.replace("{companyId}", encodeURIComponent(companyId)),
    { name: "Bench app", app: "desktop", platform: "node" },
    adminSecret,
  )) as { project: { id: number; public_key: string } };
  return { projectId: project.id, publicKey: project.public_key };
}

/** A company API key holding only `llm:use`, and the bench's LLM policy (operator calls). */
async function seedLlm(
  baseUrl: URL,
  adminSecret: string,
  companyId: string,
  standInOrigin: string,
): Promise<SeededLlm> {
  const created = CreatedApiKeySchema.parse(
    await callApi(
      baseUrl,
      "POST",
      routes.createApiKey.path.replace("{companyId}", encodeURIComponent(companyId)),
      { name: "Bench LLM gateway", permissions: { llm: ["use"] } },
      adminSecret,
    ),
  );
  if (!created.api_key.permissions.llm?.includes("use")) {
    throw new Error(
      `seed: the bench API key was created without llm:use: ${JSON.stringify(created.api_key)}`,
    );
  }
  LlmPolicyResponseSchema.parse(
    await callApi(
      baseUrl,
      "PUT",
      routes.updateLlmPolicy.path.replace("{companyId}", encodeURIComponent(companyId)),
      BENCH_LLM_POLICY,
      adminSecret,
    ),
  );
  const vars = llmStandInVars(standInOrigin);
  const openAiBaseUrl = vars.LLM_OPENAI_BASE_URL;
  const openAiKey = vars.LLM_OPENAI_API_KEY;
  if (!openAiBaseUrl || !openAiKey) throw new Error("seed: llmStandInVars gave no OpenAI base URL or key");
  return { apiKey: created.key, standInOrigin, openAiBaseUrl, openAiKey };
}

/** Validates in flight at once: enough to keep workerd busy, few enough not to time out on 2 cores. */
const VALIDATE_CONCURRENCY = 8;

/**
 * `count` machines validated for the first time (each answer must carry the bench's validate limit),
 * `VALIDATE_CONCURRENCY` at a time, in machine order, with a progress line every tenth.
 */
async function validateInstallations(
  baseUrl: URL,
  companyCode: string,
  count: number,
  log: (line: string) => void,
): Promise<SeededInstallation[]> {
  const installations: SeededInstallation[] = new Array(count);
  const step = Math.max(1, Math.ceil(count / 10));
  let next = 0;
  let done = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) {
      const machineId = `bench-machine-${String(index + 1).padStart(4, "0")}`;
      const answer = await callApiWithHeaders(baseUrl, "POST", routes.validate.path, {
        company_code: companyCode,
        machine_id: machineId,
        hostname: "bench-host",
        app_version: "1.0.0",
      });
      assertBenchValidateLimit(answer.headers);
      const validated = ValidateResponseSchema.parse(answer.body);
      const secret = validated.installation.secret;
      if (!secret) throw new Error(`seed: validate answered no installation secret for ${machineId}`);
      installations[index] = { machineId, token: validated.installation.token, secret };
      done++;
      if (done % step === 0 || done === count) log(`validated ${done}/${count} installations`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(VALIDATE_CONCURRENCY, count) }, lane));
  return installations;
}

/** A file's sha512 as electron-builder writes it (base64). */
async function sha512Base64(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await crypto.subtle.digest("SHA-512", bytes)).toString("base64");
}

/**
 * The artifact the artifact-range route reads: big enough that a ranged read moves megabytes, so its
 * MB/s measures moving bytes rather than the per-request overhead. Its bytes are a function of
 * their offset (`artifactByte`), so a range read back can be checked without keeping the file.
 */
export const BENCH_ARTIFACT = { version: "1.1.0", platform: "win", size: 8 * 1024 * 1024 } as const;

/** The byte at `offset` of the bench artifact (a multiplicative hash: no long runs, not compressible). */
export function artifactByte(offset: number): number {
  return (Math.imul(offset + 1, 0x9e3779b1) >>> 24) & 0xff;
}

export function artifactBytes(offset: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => artifactByte(offset + index));
}

/**
 * Two stable releases for the feed routes, the newer one at a 50 % rollout, so a channel-file
 * request walks the whole selection (channel chain, versions, cohort) rather than a trivial case.
 * Returns the big artifact (BENCH_ARTIFACT) of the newer one.
 */
async function seedReleases(baseUrl: URL, adminSecret: string): Promise<SeededArtifact> {
  let artifact: SeededArtifact | null = null;
  for (const [version, rollout] of [
    ["1.0.0", 100],
    ["1.1.0", 50],
  ] as const) {
    const files = ["win", "mac", "linux"].map((platform, index) => ({
      name: `Nexus-${version}-${platform}.bin`,
      platform,
      bytes:
        version === BENCH_ARTIFACT.version && platform === BENCH_ARTIFACT.platform
          ? artifactBytes(0, BENCH_ARTIFACT.size)
          : new Uint8Array(4096).fill(index + 1),
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
      if (file.bytes.byteLength === BENCH_ARTIFACT.size) {
        artifact = {
          fileName: file.name,
          // The API's artifactKey (workers/api/src/services/updates/releases.ts); the bench reads a
          // range through this key and checks its bytes before measuring, so a change shows up.
          r2Key: `releases/${created.release.id}/${file.name}`,
          size: file.bytes.byteLength,
        };
      }
    }
    await callApi(
      baseUrl,
      "POST",
      routes.publishRelease.path.replace("{releaseId}", encodeURIComponent(created.release.id)),
      { rollout: { percent: rollout } },
      adminSecret,
    );
  }
  if (!artifact) throw new Error("seed: the bench artifact was not uploaded");
  return artifact;
}

/**
 * One chat completion through the gateway and one straight to the stand-in, the routes' own
 * requests: both must answer 200 with the same reply and usage, or llm-gateway would not be the
 * direct call plus the gateway (a refusal, another model or a cached answer would be cheaper).
 */
export async function checkLlmCalls(baseUrl: URL, context: SeedContext): Promise<string> {
  const { llm } = context;
  const calls = [
    {
      what: "the gateway",
      url: new URL(routes.createChatCompletion.path, baseUrl),
      key: llm.apiKey,
      model: BENCH_LLM.alias,
    },
    {
      what: "the stand-in",
      url: new URL(`${llm.openAiBaseUrl}/chat/completions`),
      key: llm.openAiKey,
      model: BENCH_LLM.model,
    },
  ];
  const answers: { reply: string | null; usage: unknown }[] = [];
  for (const call of calls) {
    const response = await fetch(call.url, {
      method: "POST",
      headers: { authorization: `Bearer ${call.key}`, "content-type": "application/json" },
      body: JSON.stringify(llmChatBody(call.model)),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `seed: ${call.what} answered ${response.status} to a chat completion: ${text.slice(0, 500)}`,
      );
    }
    const completion = ChatCompletionSchema.parse(JSON.parse(text));
    const { prompt_tokens, completion_tokens } = completion.usage;
    answers.push({
      reply: completion.choices[0]?.message.content ?? null,
      usage: { prompt_tokens, completion_tokens },
    });
  }
  const [gateway, direct] = answers;
  if (!gateway || !direct || gateway.reply === null || JSON.stringify(gateway) !== JSON.stringify(direct)) {
    throw new Error(
      `seed: the gateway's answer differs from the stand-in's: ${JSON.stringify(gateway)} vs ${JSON.stringify(direct)}`,
    );
  }
  return `LLM: the gateway (model "${BENCH_LLM.alias}") and the stand-in (${BENCH_LLM.model}) answer the same reply and usage (${JSON.stringify(direct.usage)})`;
}

/**
 * Reads one range of the bench artifact through the API and through the raw R2 reader and checks
 * both against the bytes the seed uploaded: the raw route must read the very object the API
 * serves (same bucket, same local store), or its MB/s would be a floor for something else.
 */
export async function checkArtifactReads(baseUrl: URL, context: SeedContext): Promise<string> {
  const { artifact } = context;
  const offset = Math.floor(artifact.size / 3);
  const length = 64 * 1024;
  const range = `bytes=${offset}-${offset + length - 1}`;
  const expected = Buffer.from(artifactBytes(offset, length));
  const reads: { what: string; path: string; headers: Record<string, string> }[] = [
    {
      what: "the API",
      path: `/api/updates/${encodeURIComponent(artifact.fileName)}?company_code=${context.companyCode}`,
      headers: { authorization: `Bearer ${context.installationToken}`, range },
    },
    { what: "the raw R2 reader", path: `${RAW_R2_PREFIX}${artifact.r2Key}`, headers: { range } },
  ];
  for (const read of reads) {
    const response = await fetch(new URL(read.path, baseUrl), {
      headers: read.headers,
      signal: AbortSignal.timeout(15_000),
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 206 || !body.equals(expected)) {
      throw new Error(
        `seed: ${read.what} answered ${response.status} with ${body.byteLength} bytes for ${range} of ${artifact.r2Key}, not the uploaded bytes: ${body.subarray(0, 200).toString("utf8")}`,
      );
    }
  }
  return `artifact ${artifact.fileName} (${(artifact.size / 2 ** 20).toFixed(0)} MiB): the same ${range} read through the API and straight from R2 (${RAW_R2_PREFIX}${artifact.r2Key}) matches the uploaded bytes`;
}
