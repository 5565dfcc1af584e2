// The company's LLM gateway policy: its one row in the tenant database, or the platform's defaults
// (LLM_DEFAULT_MODELS on the platform's keys) until the company saves its own. The gateway reads it
// on every call, so it is kept per isolate for a few seconds; a save clears this isolate's copy and
// other isolates follow within POLICY_CACHE_MS.
import { type LlmPolicy, LlmPolicyInputSchema, type LlmProvider } from "@nexus/contracts";
import { apiKeys } from "@nexus/db/central";
import { llmProviderKeys, llmSettings } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { z } from "zod";
import { type Config, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { isolateCache } from "../../lib/isolate-cache.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { platformProvider } from "./platform.ts";

/** A policy as saved (defaults filled in), without its timestamp. */
export type LlmPolicySettings = z.output<typeof LlmPolicyInputSchema>;

export const POLICY_CACHE_MS = 5_000;
const policyCache = isolateCache<LlmPolicy>(POLICY_CACHE_MS);

/** The platform's own key for a provider, if the deployment has one (Workers AI needs none). */
export const platformKeyOf = (config: Config, provider: LlmProvider): string | undefined =>
  platformProvider(config, provider).apiKey;

/** What a company has before it saves a policy. */
export function defaultLlmPolicy(env: Env): LlmPolicy {
  return { ...LlmPolicyInputSchema.parse({ models: getConfig(env).LLM_DEFAULT_MODELS }), updated_at: null };
}

/** The saved policy, read now (no cache): what deleting a key must check against. */
export async function storedLlmPolicy(env: Env, companyId: string): Promise<LlmPolicy> {
  const orm = drizzle(await tenantDatabase(env, companyId));
  const [row] = await orm.select().from(llmSettings).where(eq(llmSettings.id, 1)).limit(1);
  if (!row) return defaultLlmPolicy(env);
  // Parsed again so that settings added to the schema after the save get their defaults.
  return {
    ...LlmPolicyInputSchema.parse(row.policy),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** The company's policy, at most POLICY_CACHE_MS old. */
export function llmPolicy(env: Env, companyId: string): Promise<LlmPolicy> {
  return policyCache.get(companyId, () => storedLlmPolicy(env, companyId));
}

/**
 * Forgets cached policies after a save. The cache can only be cleared whole: the other companies'
 * policies are read again, once each, which is cheap next to serving one stale.
 */
export function forgetLlmPolicy(_companyId: string): void {
  policyCache.clear();
}

interface TargetProblem {
  code: "LLM_KEY_NOT_FOUND" | "VALIDATION_FAILED";
  path: string;
  message: string;
}

/** What is wrong with the targets' keys: unknown or mismatched BYOK keys, missing platform keys. */
function targetProblems(
  config: Config,
  policy: LlmPolicySettings,
  companyKeys: Map<string, LlmProvider>,
): TargetProblem[] {
  const problems: TargetProblem[] = [];
  policy.models.forEach((model, m) => {
    model.targets.forEach((target, t) => {
      const where = `Model "${model.name}", target ${t + 1} (${target.provider}/${target.model})`;
      const path = `models.${m}.targets.${t}.key_id`;
      if (target.provider === "workers_ai") {
        if (target.key_id !== null) {
          problems.push({
            code: "VALIDATION_FAILED",
            path,
            message: `${where}: Workers AI runs on the platform's binding and takes no key; set key_id to null.`,
          });
        }
        return;
      }
      if (target.key_id === null) {
        if (!platformKeyOf(config, target.provider)) {
          problems.push({
            code: "VALIDATION_FAILED",
            path,
            message: `${where}: this platform has no ${target.provider} key of its own; add your own ${target.provider} key and name it in key_id.`,
          });
        }
        return;
      }
      const keyProvider = companyKeys.get(target.key_id);
      if (keyProvider === undefined) {
        problems.push({
          code: "LLM_KEY_NOT_FOUND",
          path,
          message: `${where}: this company has no provider key ${target.key_id}.`,
        });
      } else if (keyProvider !== target.provider) {
        problems.push({
          code: "LLM_KEY_NOT_FOUND",
          path,
          message: `${where}: key ${target.key_id} is a ${keyProvider} key, not a ${target.provider} one.`,
        });
      }
    });
  });
  return problems;
}

/** The budgets' API key ids that are not the company's (or are named twice). */
async function apiKeyBudgetProblems(
  env: Env,
  companyId: string,
  budgets: LlmPolicySettings["api_key_budgets"],
): Promise<TargetProblem[]> {
  if (budgets.length === 0) return [];
  const own = new Set(
    (
      await drizzle(env.CENTRAL_DB)
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(eq(apiKeys.companyId, companyId))
    ).map((row) => row.id),
  );
  const seen = new Set<string>();
  const problems: TargetProblem[] = [];
  budgets.forEach((budget, i) => {
    const path = `api_key_budgets.${i}.api_key_id`;
    if (!own.has(budget.api_key_id)) {
      problems.push({
        code: "VALIDATION_FAILED",
        path,
        message: `This company has no API key ${budget.api_key_id}.`,
      });
    } else if (seen.has(budget.api_key_id)) {
      problems.push({
        code: "VALIDATION_FAILED",
        path,
        message: `API key ${budget.api_key_id} has more than one budget.`,
      });
    }
    seen.add(budget.api_key_id);
  });
  return problems;
}

/** One error for all problems: a missing key is a 404 first, anything else a 400. */
function refuse(problems: TargetProblem[]): never {
  const missing = problems.filter((problem) => problem.code === "LLM_KEY_NOT_FOUND");
  const shown = missing.length > 0 ? missing : problems;
  const code = missing.length > 0 ? "LLM_KEY_NOT_FOUND" : "VALIDATION_FAILED";
  throw new ApiError(code, shown.map((problem) => problem.message).join(" "), {
    issues: shown.map(({ path, message }) => ({ path, message })),
  });
}

/** Checks the policy against the company's keys and the platform's, then replaces the saved one. */
export async function saveLlmPolicy(
  env: Env,
  companyId: string,
  input: LlmPolicySettings,
): Promise<LlmPolicy> {
  const orm = drizzle(await tenantDatabase(env, companyId));
  const keys = await orm
    .select({ id: llmProviderKeys.id, provider: llmProviderKeys.provider })
    .from(llmProviderKeys);
  const problems = [
    ...targetProblems(getConfig(env), input, new Map(keys.map((key) => [key.id, key.provider]))),
    ...(await apiKeyBudgetProblems(env, companyId, input.api_key_budgets)),
  ];
  if (problems.length > 0) refuse(problems);
  const updatedAt = Date.now();
  await orm
    .insert(llmSettings)
    .values({ id: 1, policy: input, updatedAt })
    .onConflictDoUpdate({ target: llmSettings.id, set: { policy: input, updatedAt } });
  forgetLlmPolicy(companyId);
  return { ...input, updated_at: new Date(updatedAt).toISOString() };
}

/** The models of the policy whose targets use a provider key. */
export function modelsUsingKey(policy: LlmPolicySettings, keyId: string): string[] {
  return policy.models
    .filter((model) => model.targets.some((target) => target.key_id === keyId))
    .map((model) => model.name);
}
