import { operation } from "../../lib/operation.ts";
import { deadLetterPage, toDeadLetterSummary } from "../../services/dead-letters.ts";

export const listDeadLetters = operation("listDeadLetters", async (c, { query }) => {
  const { limit, cursor, ...filters } = query;
  const page = await deadLetterPage(c.get("db"), { limit, cursor }, filters);
  return { success: true, dead_letters: page.items.map(toDeadLetterSummary), next_cursor: page.nextCursor };
});
