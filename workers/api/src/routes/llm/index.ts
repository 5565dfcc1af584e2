// The LLM gateway (OpenAI-compatible chat completions and models) and its admin side: the company's policy, its own provider keys (BYOK), usage and the
// call log (services/llm/).
import type { Operation } from "../../lib/operation.ts";
import { createChatCompletion } from "./create-chat-completion.ts";
import { createLlmProviderKey } from "./create-llm-provider-key.ts";
import { deleteLlmProviderKey } from "./delete-llm-provider-key.ts";
import { getLlmPolicy } from "./get-llm-policy.ts";
import { getLlmUsage } from "./get-llm-usage.ts";
import { listLlmCalls } from "./list-llm-calls.ts";
import { listLlmModels } from "./list-llm-models.ts";
import { listLlmProviderKeys } from "./list-llm-provider-keys.ts";
import { rotateLlmProviderKey } from "./rotate-llm-provider-key.ts";
import { updateLlmPolicy } from "./update-llm-policy.ts";

export const llmOperations: Operation[] = [
  createChatCompletion,
  listLlmModels,
  getLlmPolicy,
  updateLlmPolicy,
  listLlmProviderKeys,
  createLlmProviderKey,
  rotateLlmProviderKey,
  deleteLlmProviderKey,
  getLlmUsage,
  listLlmCalls,
];
