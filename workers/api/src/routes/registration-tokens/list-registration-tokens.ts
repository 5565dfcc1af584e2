import { operation } from "../../lib/operation.ts";
import { registrationTokenPage } from "../../services/registration-tokens.ts";

export const listRegistrationTokens = operation("listRegistrationTokens", async (c, { query }) => {
  const page = await registrationTokenPage(c.get("db"), query, new Date());
  return { success: true, tokens: page.tokens, next_cursor: page.nextCursor };
});
