import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";

/** Per-message overhead of the chat format (role and separators), as OpenAI's counting guide. */
const MESSAGE_OVERHEAD_TOKENS = 3;

// User text such as "<|endoftext|>" is counted as plain text; by default the tokenizer throws on it.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** cl100k_base token count: an estimate for providers that sent no usage, and for reservations. */
export function estimateTokens(text: string): number {
  return text === "" ? 0 : countTokens(text, PLAIN_TEXT);
}

export function estimateChatTokens(messages: readonly { content: string }[]): number {
  let total = 0;
  for (const message of messages) total += estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
  return total;
}
