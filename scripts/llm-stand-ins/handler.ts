// The LLM provider stand-ins behind one fetch-style handler: miniflare's outbound service in the
// workers tests, and the Node server (server.ts) for `pnpm dev`, e2e and the bench. Base URLs:
// `<origin>/openai/v1`, `<origin>/anthropic`, `<origin>/gemini`.
import { ANTHROPIC_PREFIX, handleAnthropic } from "./anthropic.ts";
import { GEMINI_PREFIX, handleGemini } from "./gemini.ts";
import { handleOpenAi, OPENAI_PREFIX } from "./openai.ts";

const PROVIDERS: [prefix: string, handle: (request: Request, path: string) => Promise<Response>][] = [
  [OPENAI_PREFIX, handleOpenAi],
  [ANTHROPIC_PREFIX, handleAnthropic],
  [GEMINI_PREFIX, handleGemini],
];

export async function handleLlmStandIn(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  for (const [prefix, handle] of PROVIDERS) {
    if (pathname.startsWith(`${prefix}/`)) return handle(request, pathname.slice(prefix.length));
  }
  return new Response(
    `No LLM stand-in at ${pathname}: the base URLs are /openai/v1, /anthropic and /gemini.\n`,
    { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}

/** The origin the workers tests reach the stand-ins at, through miniflare's outbound service. */
export const LLM_STAND_IN_TEST_ORIGIN = "http://llm-stand-in.test";

/** The API's vars that point every provider at stand-ins served at `origin`, with platform keys they accept. */
export function llmStandInVars(origin: string): Record<string, string> {
  return {
    LLM_OPENAI_BASE_URL: `${origin}/openai/v1`,
    LLM_ANTHROPIC_BASE_URL: `${origin}/anthropic`,
    LLM_GEMINI_BASE_URL: `${origin}/gemini`,
    LLM_OPENAI_API_KEY: "sk-stand-in-platform",
    LLM_ANTHROPIC_API_KEY: "sk-ant-stand-in-platform",
    LLM_GEMINI_API_KEY: "stand-in-gemini-platform",
  };
}
