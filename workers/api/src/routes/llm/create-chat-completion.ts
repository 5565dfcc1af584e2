import { operation } from "../../lib/operation.ts";
import { createChatCompletion as complete } from "../../services/llm/gateway.ts";

/** Chat messages can be long (documents pasted into a prompt); OpenAI itself takes far more. */
const CHAT_BODY_LIMIT = 1024 * 1024;

export const createChatCompletion = operation(
  "createChatCompletion",
  async (c, { body, caller }) => complete(c, caller, body),
  { bodyLimit: CHAT_BODY_LIMIT },
);
