// Chat conversations in the tenant database: one per project (created on first use) and one per pair
// of users (direct). Who may read one is decided on every use, never remembered: a project's
// conversation follows the project's assignments as they are now.
import type { ChatConversation } from "@nexus/contracts";
import {
  chatConversations,
  chatMessages,
  chatParticipants,
  chatReceipts,
  projectAssignments,
} from "@nexus/db/tenant";
import { and, desc, eq, inArray, isNotNull, ne, notExists, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { QueryBuilder } from "drizzle-orm/sqlite-core";
import type { Audience } from "../../durable-objects/hub-sockets.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { assignedUsers } from "../crm/project-status.ts";
import { iso, toMessageView } from "./messages.ts";

export type ConversationRow = typeof chatConversations.$inferSelect;

/** A user reading chat: whether they may read every project, or only those assigned to them. */
export interface ChatReader {
  userId: string;
  allProjects: boolean;
}

/** The projects assigned to a user, as a subquery. */
const assignedProjects = (userId: string) =>
  new QueryBuilder()
    .select({ projectId: projectAssignments.projectId })
    .from(projectAssignments)
    .where(eq(projectAssignments.userId, userId));

/** The conversation if the reader may read it (else null: to them it does not exist). */
export async function readableConversation(
  db: D1Database,
  conversationId: string,
  reader: ChatReader,
): Promise<ConversationRow | null> {
  const orm = drizzle(db);
  const [row] = await orm
    .select()
    .from(chatConversations)
    .where(and(eq(chatConversations.id, conversationId), readableBy(reader)))
    .limit(1);
  return row ?? null;
}

/** The conversations the user takes part in, as a condition. */
const joinedBy = (userId: string) =>
  inArray(
    chatConversations.id,
    new QueryBuilder()
      .select({ id: chatParticipants.conversationId })
      .from(chatParticipants)
      .where(eq(chatParticipants.userId, userId)),
  );

/** The conversation a route names, if the reader may read it: otherwise, to them, it does not exist. */
export async function requireConversation(
  db: D1Database,
  conversationId: string,
  reader: ChatReader,
): Promise<ConversationRow> {
  const row = await readableConversation(db, conversationId, reader);
  if (!row) {
    throw new ApiError(
      "CHAT_CONVERSATION_NOT_FOUND",
      `There is no conversation ${conversationId} you can read.`,
    );
  }
  return row;
}

/** Direct conversations the user takes part in; project ones of projects they may read. */
function readableBy(reader: ChatReader): SQL | undefined {
  return or(
    and(eq(chatConversations.kind, "direct"), joinedBy(reader.userId)),
    and(
      eq(chatConversations.kind, "project"),
      reader.allProjects ? undefined : inArray(chatConversations.projectId, assignedProjects(reader.userId)),
    ),
  );
}

/**
 * Who hears of the conversation's messages: the sockets that read every project plus the project's
 * assigned users (project), or its two users (direct). `recipients` are the users to notify when
 * they have no socket open: participants and assigned users of a project, the pair of a direct one
 * (the caller filters project participants who may no longer read it).
 */
export async function conversationAudience(
  db: D1Database,
  conversation: ConversationRow,
): Promise<{ audience: Audience; participants: string[]; assigned: string[] }> {
  const orm = drizzle(db);
  const participants = (
    await orm
      .select({ userId: chatParticipants.userId })
      .from(chatParticipants)
      .where(eq(chatParticipants.conversationId, conversation.id))
  ).map((row) => row.userId);
  if (conversation.kind === "direct" || !conversation.projectId) {
    return {
      audience: { projectReaders: false, users: participants, chat: true },
      participants,
      assigned: [],
    };
  }
  const assigned = await assignedUsers(db, conversation.projectId);
  return { audience: { projectReaders: true, users: assigned, chat: true }, participants, assigned };
}

/** Makes the user a participant (idempotent): their project conversations are listed for them. */
export function joinStatement(db: D1Database, conversationId: string, userId: string) {
  return drizzle(db).insert(chatParticipants).values({ conversationId, userId }).onConflictDoNothing();
}

/** The project's conversation, created on first use; the caller joins it. */
export async function projectConversation(
  db: D1Database,
  projectId: string,
  userId: string,
): Promise<ConversationRow> {
  const orm = drizzle(db);
  // Of two first uses at once, one insert wins and both read its row.
  await orm
    .insert(chatConversations)
    .values({ id: newId(), kind: "project", projectId })
    .onConflictDoNothing({ target: chatConversations.projectId });
  const [row] = await orm.select().from(chatConversations).where(eq(chatConversations.projectId, projectId));
  if (!row) throw new Error("the project conversation was neither inserted nor found");
  await joinStatement(db, row.id, userId);
  return row;
}

/** The direct conversation of two users (one per pair), created on first use. */
export async function directConversation(
  db: D1Database,
  userId: string,
  otherId: string,
): Promise<ConversationRow> {
  const orm = drizzle(db);
  const directKey = [userId, otherId].sort().join(" ");
  const id = newId();
  await orm.batch([
    orm
      .insert(chatConversations)
      .values({ id, kind: "direct", directKey })
      .onConflictDoNothing({ target: chatConversations.directKey }),
    // The winner's id (ours, or a concurrent first use's), in the same transaction.
    orm
      .insert(chatParticipants)
      .values(
        [userId, otherId].map((participant) => ({
          conversationId: pairConversation(directKey),
          userId: participant,
        })),
      )
      .onConflictDoNothing(),
  ]);
  const [row] = await orm.select().from(chatConversations).where(eq(chatConversations.directKey, directKey));
  if (!row) throw new Error("the direct conversation was neither inserted nor found");
  return row;
}

const pairConversation = (directKey: string) =>
  sql`(SELECT ${chatConversations.id} FROM ${chatConversations} WHERE ${chatConversations.directKey} = ${directKey})`;

/** Messages of others in the conversation the user has not read, as SQL (per conversation row). */
const unreadOf = (conversationId: typeof chatConversations.id | string, userId: string) =>
  sql<number>`(SELECT count(*) FROM ${chatMessages} WHERE ${and(
    eq(chatMessages.conversationId, conversationId),
    ne(chatMessages.senderId, userId),
    notExists(
      new QueryBuilder()
        .select({ one: sql`1` })
        .from(chatReceipts)
        .where(
          and(
            eq(chatReceipts.messageId, chatMessages.id),
            eq(chatReceipts.userId, userId),
            isNotNull(chatReceipts.readAt),
          ),
        ),
    ),
  )})`;

export async function unreadCount(db: D1Database, conversationId: string, userId: string): Promise<number> {
  const [row] = await drizzle(db)
    .select({ unread: unreadOf(conversationId, userId) })
    .from(chatConversations)
    .where(eq(chatConversations.id, conversationId));
  return Number(row?.unread ?? 0);
}

/**
 * The reader's conversations, most recent first: direct ones they take part in, and project ones
 * they joined or are assigned to (of projects they may still read).
 */
export async function listConversations(db: D1Database, reader: ChatReader): Promise<ChatConversation[]> {
  const rows = await drizzle(db)
    .select()
    .from(chatConversations)
    .where(
      and(
        readableBy(reader),
        or(joinedBy(reader.userId), inArray(chatConversations.projectId, assignedProjects(reader.userId))),
      ),
    )
    .orderBy(desc(sql`coalesce(${chatConversations.lastMessageAt}, ${chatConversations.createdAt})`))
    .limit(200);
  return conversationViews(db, rows, reader.userId);
}

/** D1 binds at most 100 parameters per statement. */
const IDS_PER_STATEMENT = 90;

/** The conversations' views for the user: participants, last message and unread count. */
export async function conversationViews(
  db: D1Database,
  rows: readonly ConversationRow[],
  userId: string,
): Promise<ChatConversation[]> {
  const orm = drizzle(db);
  const views: ChatConversation[] = [];
  for (let start = 0; start < rows.length; start += IDS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + IDS_PER_STATEMENT);
    const ids = chunk.map((row) => row.id);
    const lastIds = new QueryBuilder()
      .select({ id: sql`max(${chatMessages.id})` })
      .from(chatMessages)
      .where(inArray(chatMessages.conversationId, ids))
      .groupBy(chatMessages.conversationId);
    const [participants, lastMessages, unread] = await orm.batch([
      orm.select().from(chatParticipants).where(inArray(chatParticipants.conversationId, ids)),
      orm.select().from(chatMessages).where(inArray(chatMessages.id, lastIds)),
      orm
        .select({ id: chatConversations.id, unread: unreadOf(chatConversations.id, userId) })
        .from(chatConversations)
        .where(inArray(chatConversations.id, ids)),
    ]);
    for (const row of chunk) {
      const last = lastMessages.find((message) => message.conversationId === row.id);
      views.push({
        id: row.id,
        kind: row.kind,
        project_id: row.projectId,
        participant_ids: participants.filter((p) => p.conversationId === row.id).map((p) => p.userId),
        created_at: new Date(row.createdAt).toISOString(),
        last_message_at: iso(row.lastMessageAt),
        unread_count: Number(unread.find((u) => u.id === row.id)?.unread ?? 0),
        last_message: last ? toMessageView(last) : null,
      });
    }
  }
  return views;
}
