import { operation } from "../../lib/operation.ts";
import { changeOwnInboxItem } from "../../services/notifications/inbox.ts";

export const markInboxItemRead = operation("markInboxItemRead", (c, input) =>
  changeOwnInboxItem(c.env, input, "read"),
);
