// Digests: a workflow with `digest_minutes` batches a recipient's messages over that window into one
// message per channel (Knock's batch: the first message opens the window and fixes when it closes;
// later ones join it). The batched rows share a `digest_key`; the hub's alarm releases them together.
import { newId } from "@nexus/db";
import { notificationMessages } from "@nexus/db/tenant";
import { and, eq, gt, isNotNull, isNull, like, not, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** The digest message's own idempotency key; it marks it apart from the messages it batches. */
export const DIGEST_IDEMPOTENCY_PREFIX = "digest:";

export interface OpenDigest {
  digestKey: string;
  until: number;
}

/** The recipient's open digest of this workflow on this channel (its window not yet closed), if any. */
export async function openDigest(
  db: D1Database,
  input: { recipientKey: string; workflowKey: string; channel: string; now: number },
): Promise<OpenDigest | null> {
  const m = notificationMessages;
  const [row] = await drizzle(db)
    .select({ digestKey: m.digestKey, until: m.scheduledFor })
    .from(m)
    .where(
      and(
        eq(m.recipientKey, input.recipientKey),
        eq(m.workflowKey, input.workflowKey),
        eq(m.channel, input.channel),
        eq(m.status, "queued"),
        isNotNull(m.digestKey),
        gt(m.scheduledFor, input.now),
        or(isNull(m.idempotencyKey), not(like(m.idempotencyKey, `${DIGEST_IDEMPOTENCY_PREFIX}%`))),
      ),
    )
    .limit(1);
  return row?.digestKey && row.until !== null ? { digestKey: row.digestKey, until: row.until } : null;
}

/** A new digest window opened by the message planned now. */
export function newDigest(now: number, digestMinutes: number): OpenDigest {
  return { digestKey: `dg_${newId(now)}`, until: now + digestMinutes * 60_000 };
}

type MessageRow = typeof notificationMessages.$inferSelect;

/** How many items a digest lists in full; the rest are counted. */
export const DIGEST_LISTED_ITEMS = 20;

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * The combined subject and body of a digest: the items' subjects and bodies, oldest first. Email
 * bodies are HTML already escaped when each item was rendered, so they are listed as they are; the
 * other channels are plain text.
 */
export function digestContent(
  channel: string,
  items: readonly MessageRow[],
): { subject: string; body: string } {
  const listed = items.slice(0, DIGEST_LISTED_ITEMS);
  const more = items.length - listed.length;
  const subject = `${items.length} notifications${items[0]?.subject ? `: ${items[0].subject}` : ""}`;
  if (channel === "email") {
    const entries = listed.map(
      (item) =>
        `<li>${item.subject ? `<strong>${escapeHtml(item.subject)}</strong><br>` : ""}${item.body}</li>`,
    );
    const tail = more > 0 ? `<p>…and ${more} more.</p>` : "";
    return {
      subject,
      body: `<p>${items.length} notifications:</p>\n<ul>\n${entries.join("\n")}\n</ul>${tail}`,
    };
  }
  const lines = listed.map((item) => `• ${item.subject ? `${item.subject}: ` : ""}${item.body}`);
  if (more > 0) lines.push(`…and ${more} more.`);
  return { subject, body: lines.join("\n") };
}
