import { operation } from "../../lib/operation.ts";
import { changeOwnInboxItem } from "../../services/notifications/inbox.ts";

export const markInboxItemUnread = operation("markInboxItemUnread", (c, input) =>
  changeOwnInboxItem(c.env, input, "unread"),
);
