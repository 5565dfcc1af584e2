// The caller's own in-app inbox: list with a cursor and the unread count, read / unread / archive
// one item, read all. Another user's item does not exist for the caller (404).
import { z } from "zod";
import { adminErrors, CompanyIdParams, companyErrors, crmErrors, define } from "../shared/route-contract.ts";
import {
  InboxItemResponseSchema,
  InboxPageSchema,
  InboxQuerySchema,
  InboxReadAllResponseSchema,
} from "./schemas.ts";

const ownErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;
const ItemParams = CompanyIdParams.extend({ messageId: z.string().min(1).max(64) });

const itemRoute = <const P extends string, const S extends string>(path: P, summary: S) =>
  define({
    method: "post",
    path: `/api/admin/companies/{companyId}/notifications/inbox/{messageId}/${path}`,
    summary,
    tag: "notifications",
    auth: "companyUser",
    params: ItemParams,
    status: 200,
    response: InboxItemResponseSchema,
    errors: [...ownErrors, "NOTIFICATION_MESSAGE_NOT_FOUND"],
  });

export const notificationInboxRoutes = {
  listInbox: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/inbox",
    summary:
      "The caller's in-app notifications, newest first, with the unread count (filter: inbox, unread, archived)",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    query: InboxQuerySchema,
    status: 200,
    response: InboxPageSchema,
    errors: [...ownErrors, "VALIDATION_FAILED"],
  }),
  markInboxItemRead: itemRoute("read", "Marks one of the caller's in-app notifications read"),
  markInboxItemUnread: itemRoute("unread", "Marks one of the caller's in-app notifications unread"),
  archiveInboxItem: itemRoute(
    "archive",
    "Archives one of the caller's in-app notifications (and marks it read)",
  ),
  markInboxRead: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/notifications/inbox/read-all",
    summary: "Marks every unread in-app notification of the caller read",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    status: 200,
    response: InboxReadAllResponseSchema,
    errors: ownErrors,
  }),
} as const;
