import { operation } from "../../lib/operation.ts";
import { verifyUnsubscribeToken } from "../../services/notifications/unsubscribe.ts";
import { confirmPage } from "../../services/notifications/unsubscribe-page.ts";

// Only shows the page: mail scanners follow GET links, so the opt-out itself waits for the POST.
export const showUnsubscribe = operation("showUnsubscribe", async (c, { query }) =>
  confirmPage(await verifyUnsubscribeToken(c.env, query.token), query.token),
);
