// The demo company's automation key and LLM gateway: an API key holding every company permission a
// key may hold (the gateway's `llm:use` included), a policy whose `default` model falls back from
// the OpenAI stand-in to the Anthropic one, and a few calls so the usage screen has figures.
// The key is shown once by the API, so each `pnpm dev` run makes a new one and revokes the last.
import { companyPermissions } from "../packages/contracts/src/shared/permissions.ts";
import { request } from "./api-request.ts";

const KEY_NAME = "Demo automation (pnpm dev)";
/** What clients send as `model`: the demo policy's first model, served by the stand-ins. */
export const DEMO_LLM_MODEL = "default";

const DEMO_POLICY = {
  models: [
    {
      name: DEMO_LLM_MODEL,
      targets: [
        { provider: "openai", model: "gpt-4o-mini" },
        { provider: "anthropic", model: "claude-3-5-haiku-latest" },
      ],
    },
    { name: "claude", targets: [{ provider: "anthropic", model: "claude-sonnet-4-5" }] },
    { name: "gemini", targets: [{ provider: "gemini", model: "gemini-2.0-flash" }] },
  ],
  budget_usd_micros: 50_000_000,
  allow_installations: true,
};

/** Every action on every company resource but the API keys themselves (a key may not list or make keys). */
const keyPermissions = Object.fromEntries(
  Object.entries(companyPermissions)
    .filter(([resource]) => resource !== "api_keys")
    .map(([resource, actions]) => [resource, [...actions]]),
);

interface ApiKeyList {
  api_keys: { id: string; name: string; revoked_at: string | null }[];
}

export async function seedDemoLlm(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<{ apiKey: string; model: string }> {
  const base = `/api/admin/companies/${companyId}`;
  const token = adminSecret;
  const { api_keys } = await request<ApiKeyList>(baseUrl, `${base}/api-keys`, { token });
  for (const old of api_keys.filter((k) => k.name === KEY_NAME && !k.revoked_at)) {
    await request(baseUrl, `${base}/api-keys/${old.id}/revoke`, { method: "POST", token });
  }
  const created = await request<{ key: string }>(baseUrl, `${base}/api-keys`, {
    method: "POST",
    token,
    body: JSON.stringify({ name: KEY_NAME, permissions: keyPermissions }),
  });
  await request(baseUrl, `${base}/llm/policy`, { method: "PUT", token, body: JSON.stringify(DEMO_POLICY) });
  const questions = [
    "Which press is due for maintenance?",
    "Summarise yesterday's downtime.",
    "Draft a quote reminder.",
  ];
  for (const [index, question] of questions.entries()) {
    await request(baseUrl, "/api/llm/v1/chat/completions", {
      method: "POST",
      token: created.key,
      body: JSON.stringify({
        model: index === 2 ? "claude" : DEMO_LLM_MODEL,
        messages: [{ role: "user", content: question }],
        ...(index === 1 ? { stream: false, max_tokens: 5 } : {}),
      }),
    });
  }
  log(
    `LLM gateway: demo policy (${DEMO_POLICY.models.map((m) => m.name).join(", ")}) and ${questions.length} calls`,
  );
  return { apiKey: created.key, model: DEMO_LLM_MODEL };
}
