// A model route's targets made callable: each with its provider's base URL and the credential it
// names (the platform's key from the deployment's secrets, or the company's own sealed key), and the
// id the hub's circuit breakers and budgets know it by.
import type { LlmModelRoute, LlmTarget } from "@nexus/contracts";
import { getConfig } from "../../env.ts";
import { platformProvider } from "./platform.ts";
import { providerKeySecret } from "./provider-keys.ts";

export interface GatewayTarget extends LlmTarget {
  /** "openai/gpt-4o-mini/platform" or "anthropic/claude-sonnet-4-5/<key id>". */
  id: string;
  /** Its place in the route: the `fallback_step` when it answers. */
  step: number;
  keySource: "platform" | "byok";
}

export const targetsOf = (route: LlmModelRoute): GatewayTarget[] =>
  route.targets.map((target, step) => ({
    ...target,
    id: `${target.provider}/${target.model}/${target.key_id ?? "platform"}`,
    step,
    keySource: target.key_id ? "byok" : "platform",
  }));

export type TargetCredential = { ok: true; baseUrl: string; apiKey: string } | { ok: false; message: string };

/**
 * The target's base URL and key. A missing key (a platform key the deployment lacks, a company key
 * deleted since the policy was saved) is the target's failure, not the call's: the next one is tried.
 */
export async function credentialFor(
  env: Env,
  companyId: string,
  target: GatewayTarget,
): Promise<TargetCredential> {
  const { baseUrl, apiKey } = platformProvider(getConfig(env), target.provider);
  if (!target.key_id) {
    if (target.provider === "workers_ai") return { ok: true, baseUrl, apiKey: "" };
    return apiKey === undefined
      ? { ok: false, message: `No platform key is configured for ${target.provider}.` }
      : { ok: true, baseUrl, apiKey };
  }
  const key = await providerKeySecret(env, companyId, target.key_id);
  if (!key || key.provider !== target.provider) {
    return { ok: false, message: `The company's ${target.provider} key ${target.key_id} no longer exists.` };
  }
  return { ok: true, baseUrl, apiKey: key.secret };
}
