// The caller's own in-app inbox.
import type { Operation } from "../../lib/operation.ts";
import { archiveInboxItem } from "./archive-inbox-item.ts";
import { listInbox } from "./list-inbox.ts";
import { markInboxItemRead } from "./mark-inbox-item-read.ts";
import { markInboxItemUnread } from "./mark-inbox-item-unread.ts";
import { markInboxRead } from "./mark-inbox-read.ts";

export const notificationInboxOperations: Operation[] = [
  listInbox,
  markInboxItemRead,
  markInboxItemUnread,
  archiveInboxItem,
  markInboxRead,
];
