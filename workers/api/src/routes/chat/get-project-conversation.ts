import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { conversationViews, projectConversation } from "../../services/chat/conversations.ts";
import { loadProject } from "../../services/crm/projects.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

// Created on first use by anyone who may read the project (installers: an assigned one); opening it
// makes the caller a participant, so it is listed for them and they hear of it when offline.
export const getProjectConversation = operation("getProjectConversation", async (c, { params }) => {
  const { companyId, projectId } = params;
  const reader = await chatReader(c, companyId);
  const db = await tenantDatabase(c.env, companyId);
  const scope = reader.allProjects ? { all: true as const } : { all: false as const, userId: reader.userId };
  const { row: project } = await loadProject(db, projectId, scope);
  const row = await projectConversation(db, project.id, reader.userId);
  const [conversation] = await conversationViews(db, [row], reader.userId);
  if (!conversation) throw new Error("conversationViews returned no view");
  return { success: true, conversation };
});
