// What the chat tests share: a company with an owner and a member, conversations and messages made
// through the API, and live sockets' frames about one conversation.
import type { ChatConversation, ChatConversationMessage, ServerMessage } from "@nexus/contracts";
import { expect } from "vitest";
import { json, type LiveConnection, openLive, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin, company, userId } from "../projects/fixtures.ts";

export interface ChatCompany {
  companyId: string;
  owner: string;
  member: string;
  ownerId: string;
  memberId: string;
}

/** A company with its owner and a member, both signed in (cookies) — `tag` keeps emails apart. */
export async function chatCompany(tag: string): Promise<ChatCompany> {
  const acme = await registerCompany({ admin_email: `own@${tag}.example` });
  const owner = await companyOwner(acme.company_id, `own@${tag}.example`);
  const member = await companyMember(owner, acme.company_id, `sam@${tag}.example`);
  return {
    companyId: acme.company_id,
    owner,
    member,
    ownerId: await userId(`own@${tag}.example`),
    memberId: await userId(`sam@${tag}.example`),
  };
}

export const chatPath = (companyId: string, path: string) => `${company(companyId)}/chat${path}`;

export const live = (companyId: string, cookie: string) =>
  openLive({ cookie, query: `?company_id=${companyId}` });

export const welcomed = (socket: LiveConnection) => socket.next("welcome", 10_000);

export async function direct(companyId: string, cookie: string, otherId: string): Promise<ChatConversation> {
  const response = await authCallAdmin(chatPath(companyId, "/conversations"), { user_id: otherId }, cookie);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await json<{ conversation: ChatConversation }>(response)).conversation;
}

export async function send(
  companyId: string,
  cookie: string,
  conversationId: string,
  body: string,
  clientId?: string,
) {
  const response = await authCallAdmin(
    chatPath(companyId, `/conversations/${conversationId}/messages`),
    { body, ...(clientId ? { client_id: clientId } : {}) },
    cookie,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return json<{ message: ChatConversationMessage; duplicate: boolean }>(response);
}

/**
 * The next frame of `type` about this conversation with these fields, skipping others (a sender's
 * own sockets get their messages too, and a reader's sockets their own receipts, for other tabs).
 */
export async function nextFor<T extends ServerMessage["type"]>(
  socket: LiveConnection,
  type: T,
  conversationId: string,
  fields: Record<string, string> = {},
) {
  for (;;) {
    const frame = await socket.next(type, 10_000);
    if (!("conversation_id" in frame) || frame.conversation_id !== conversationId) continue;
    const values = frame as unknown as Record<string, unknown>;
    if (Object.entries(fields).every(([key, value]) => values[key] === value)) return frame;
  }
}
