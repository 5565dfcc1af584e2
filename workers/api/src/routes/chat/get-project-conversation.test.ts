// Project conversations: one per project, for those who may read the project (installers: their jobs).
import type { ChatConversation } from "@nexus/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { authCallAdmin, company, project, showroom, userId } from "../projects/fixtures.ts";
import { chatCompany, chatPath } from "./fixtures.ts";

let companyId: string;
let owner: string;
let ownerId: string;

beforeEach(async () => {
  ({ companyId, owner, ownerId } = await chatCompany("project-chat"));
});

const chat = (path: string) => chatPath(companyId, path);

describe("project chat", () => {
  it("opens one conversation per project for those who may read it; installers only for assigned jobs", async () => {
    const installer = await companyMember(owner, companyId, "fitter@chat.example", "installer");
    const fitter = await userId("fitter@chat.example");
    const room = await showroom(companyId, { member_ids: [fitter] });
    const mine = await project(companyId, room, { assignments: { installer: fitter } });
    const other = await project(companyId, room);

    const opened = await json<{ conversation: ChatConversation }>(
      await authCallAdmin(`${company(companyId)}/projects/${mine.id}/chat`, undefined, owner, "GET"),
    );
    expect(opened.conversation).toMatchObject({
      kind: "project",
      project_id: mine.id,
      participant_ids: [ownerId],
    });
    const again = await json<{ conversation: ChatConversation }>(
      await authCallAdmin(`${company(companyId)}/projects/${mine.id}/chat`, undefined, installer, "GET"),
    );
    expect(again.conversation.id).toBe(opened.conversation.id);
    await expectError(
      await authCallAdmin(`${company(companyId)}/projects/${other.id}/chat`, undefined, installer, "GET"),
      404,
      "PROJECT_NOT_FOUND",
    );
    const otherChat = await json<{ conversation: ChatConversation }>(
      await authCallAdmin(`${company(companyId)}/projects/${other.id}/chat`, undefined, owner, "GET"),
    );
    await expectError(
      await authCallAdmin(
        chat(`/conversations/${otherChat.conversation.id}/messages`),
        { body: "hi" },
        installer,
      ),
      404,
      "CHAT_CONVERSATION_NOT_FOUND",
    );
    const listed = await json<{ conversations: ChatConversation[] }>(
      await authCallAdmin(chat("/conversations"), undefined, installer, "GET"),
    );
    expect(listed.conversations.map((c) => c.id)).toEqual([opened.conversation.id]);
  });
});
