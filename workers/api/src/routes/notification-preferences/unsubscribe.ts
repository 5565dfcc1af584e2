import { operation } from "../../lib/operation.ts";
import { optOut } from "../../services/notifications/preferences.ts";
import { verifyUnsubscribeToken } from "../../services/notifications/unsubscribe.ts";
import { donePage } from "../../services/notifications/unsubscribe-page.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

// RFC 8058: mail providers POST `List-Unsubscribe=One-Click` here with no cookie and no sign-in; the
// page's button posts the same. The signed token alone says who and what; doing it twice is harmless.
export const unsubscribe = operation("unsubscribe", async (c, { query }) => {
  const target = await verifyUnsubscribeToken(c.env, query.token);
  const db = await tenantDatabase(c.env, target.companyId);
  await optOut(db, target.recipientKey, target.category, target.channel);
  return donePage(target);
});
