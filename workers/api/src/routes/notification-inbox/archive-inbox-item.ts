import { operation } from "../../lib/operation.ts";
import { changeOwnInboxItem } from "../../services/notifications/inbox.ts";

export const archiveInboxItem = operation("archiveInboxItem", (c, input) =>
  changeOwnInboxItem(c.env, input, "archive"),
);
