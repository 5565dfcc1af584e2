// Who is chatting: chat is a signed-in member's own (their conversations, their unread counts), so
// operators and API keys are refused rather than shown somebody's.
import { user } from "@nexus/db/auth";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { callerCan } from "../crm/caller.ts";
import type { ChatReader } from "./conversations.ts";

/**
 * The signed-in member chatting (the companyUser guard let only members through) if their role
 * allows chat:`action`, and whether they may read every project or only their assigned ones.
 */
export async function chatReader(
  c: Context<AppEnv>,
  companyId: string,
  action: "read" | "write" = "read",
): Promise<ChatReader> {
  const actor = c.get("actor");
  if (actor.type !== "user" || !actor.id) {
    throw new ApiError("FORBIDDEN", "Chat is for the company's signed-in users: sign in as a member.");
  }
  const [allowed, allProjects] = await Promise.all([
    callerCan(c, companyId, { resource: "chat", action }),
    callerCan(c, companyId, { resource: "projects", action: "read" }),
  ]);
  if (!allowed) {
    throw new ApiError("FORBIDDEN", `Your role in this company does not allow chat:${action}.`, {
      permission: `chat:${action}`,
    });
  }
  return { userId: actor.id, allProjects };
}

/** The name shown with the user's messages (null: none known). */
export async function displayName(c: Context<AppEnv>, userId: string): Promise<string | null> {
  const [row] = await c
    .get("db")
    .select({ name: user.name, email: user.email })
    .from(user)
    .where(eq(user.id, userId))
    .limit(1);
  return row?.name || row?.email || null;
}
