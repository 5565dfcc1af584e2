import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import {
  documentAudit,
  loadDocument,
  toDocumentView,
  updateDocumentRow,
} from "../../services/documents/library.ts";
import { documentDatabase, requireProjectWritable } from "../../services/documents/scope.ts";
import { typeOfName } from "../../services/documents/sniff.ts";

export const updateDocument = operation("updateDocument", async (c, { params, body, caller }) => {
  const { companyId } = params;
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  // Moving a document into a project is writing to that project: the caller must reach it.
  if (body.project_id !== undefined) {
    await requireProjectWritable(c, caller, db, {
      companyId,
      projectId: body.project_id,
      notAssigned: "Move the document to one of your jobs only.",
    });
  }
  // A new name keeps the type: renaming cannot turn a PDF into an executable's name.
  if (body.name !== undefined && typeOfName(body.name) !== row.type) {
    throw new ApiError(
      "DOCUMENT_TYPE_NOT_ALLOWED",
      `A ${row.type} document keeps a ${row.type} extension; ${body.name} does not have one.`,
    );
  }
  const updated = await updateDocumentRow(db, row, {
    name: body.name,
    tags: body.tags,
    machineId: body.machine_id,
    projectId: body.project_id,
  });
  await documentAudit(c, companyId, "document.updated", updated, { changes: body });
  return { success: true, document: toDocumentView(updated) };
});
