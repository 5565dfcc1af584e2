import { operation } from "../../lib/operation.ts";
import { outboxMail } from "../../services/mail.ts";

export const mailOutbox = operation("mailOutbox", async (c, { query }) => ({
  success: true,
  mail: await outboxMail(c.get("db"), query),
}));
