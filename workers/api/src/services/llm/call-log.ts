// The gateway's usage rows: one per call, written when the call is over (after a stream's last
// byte, or its cut), in the company's own database.
import { llmCalls } from "@nexus/db/tenant";
import { tenantOrm } from "../machines.ts";

export type LlmCallRow = typeof llmCalls.$inferInsert;

/** Prompts and outputs are kept only when the company asked for it, and never longer than this. */
const CONTENT_MAX_CHARS = 32_768;

export function storedContent(text: string): string {
  return text.length > CONTENT_MAX_CHARS ? `${text.slice(0, CONTENT_MAX_CHARS)}…` : text;
}

export async function recordLlmCall(tenantDb: D1Database, row: LlmCallRow): Promise<void> {
  await tenantOrm(tenantDb).insert(llmCalls).values(row);
}
