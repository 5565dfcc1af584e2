// Shared by the stand-ins' node tests: a server per test file, and a plain SSE reader that keeps the
// raw framing visible (the tests check the wire, not a client library's view of it).
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll } from "vitest";
import { type LlmStandIns, startLlmStandIns } from "./server.ts";

/** Starts the stand-ins for the calling test file; `origin()` is valid inside tests. */
export function useStandIns(): { origin: () => string } {
  let standIns: LlmStandIns | undefined;
  beforeAll(async () => {
    standIns = await startLlmStandIns();
  });
  afterAll(async () => {
    await standIns?.stop();
  });
  return {
    origin: () => {
      if (!standIns) throw new Error("the stand-ins are not started");
      return standIns.url;
    },
  };
}

export interface SseEvent {
  event: string | null;
  data: string;
}

/** Splits an SSE body into its events (blank-line separated; CRLF or LF). */
export function parseSse(body: string): SseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event: ")) event = line.slice("event: ".length);
        else if (line.startsWith("data: ")) data.push(line.slice("data: ".length));
      }
      return { event, data: data.join("\n") };
    });
}

/** The prompt count the stand-ins promise, computed here from the rule rather than their code. */
export function expectedPromptTokens(texts: string[]): number {
  return countTokens(texts.join("\n")) + 3 * texts.length;
}

/** A prompt long enough (>= 128 tokens) for the stand-ins to report cached tokens. */
export const LONG_PROMPT = Array.from(
  { length: 40 },
  (_, index) => `Line ${index + 1}: the quarterly inventory report lists parts, bins and suppliers.`,
).join("\n");
export const SYSTEM_PROMPT = "You are a terse assistant for a manufacturing ERP.";
