// The documents linked to the project (download through the API's content route) and an upload with
// tags, so a stage's "document tagged …" requirement can be met from here.
import { type PipelineStage, type Project, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useId, useRef, useState } from "react";
import { callApi, routeUrl } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { CompactError } from "./crm/compact-error.tsx";
import { uploadProjectDocument } from "./crm/upload.ts";
import { DocumentsTable } from "./documents-table.tsx";

const PAGE_SIZE = 20;

export function ProjectDocuments({
  companyId,
  project,
  stages,
  onUploaded,
}: {
  companyId: string;
  project: Project;
  stages: readonly PipelineStage[];
  onUploaded: () => void;
}) {
  const projectId = project.id;
  const list = usePagedList(
    useCallback(
      (cursor: string | undefined, signal?: AbortSignal) =>
        callApi(routes.listDocuments, {
          params: { companyId },
          query: { project_id: projectId, limit: PAGE_SIZE, cursor },
          signal,
        }).then((page) => ({ items: page.documents, nextCursor: page.next_cursor })),
      [companyId, projectId],
    ),
  );
  const { reload } = list;

  return (
    <section className="panel" aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      <DocumentsTable
        list={list}
        caption="Documents linked to the project, newest first"
        name={(document) =>
          document.status === "ready" ? (
            <a
              href={routeUrl(routes.downloadDocument.path, { companyId, documentId: document.id })}
              download={document.name}
            >
              {document.name}
            </a>
          ) : (
            document.name
          )
        }
      />
      <UploadForm
        companyId={companyId}
        projectId={projectId}
        stages={stages}
        onUploaded={() => {
          reload();
          onUploaded();
        }}
      />
    </section>
  );
}

/** The tags a stage's document requirement asks for, each once with what it is for. */
function requirementTags(stages: readonly PipelineStage[]): { tag: string; label: string }[] {
  const tags = new Map<string, string>();
  for (const requirement of stages.flatMap((stage) => stage.requirements)) {
    if (requirement.kind === "document" && !tags.has(requirement.tag))
      tags.set(requirement.tag, requirement.label);
  }
  return [...tags].map(([tag, label]) => ({ tag, label }));
}

function UploadForm({
  companyId,
  projectId,
  stages,
  onUploaded,
}: {
  companyId: string;
  projectId: string;
  stages: readonly PipelineStage[];
  onUploaded: () => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [otherTags, setOtherTags] = useState("");
  const [notice, setNotice] = useState("");
  const fileId = useId();
  const otherId = useId();
  const hintId = useId();
  const suggested = requirementTags(stages);

  const upload = useAction(
    useCallback(
      async (chosen: File) => {
        const tags = [
          ...checked,
          ...otherTags
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean),
        ];
        const document = await uploadProjectDocument({ companyId, projectId, file: chosen, tags });
        setNotice(`Uploaded ${document.name}.`);
        setFile(undefined);
        setChecked(new Set());
        setOtherTags("");
        if (fileInput.current) fileInput.current.value = "";
        onUploaded();
      },
      [companyId, projectId, checked, otherTags, onUploaded],
    ),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (file) void upload.run(file);
  };
  const toggle = (tag: string) =>
    setChecked((previous) => {
      const next = new Set(previous);
      if (next.has(tag)) next.delete(tag);
      else next.add(tag);
      return next;
    });

  return (
    <form id="upload-document" className="upload-form" onSubmit={submit}>
      <h3>Upload a document</h3>
      <div className="field">
        <label htmlFor={fileId}>File</label>
        <input
          ref={fileInput}
          id={fileId}
          type="file"
          required
          aria-describedby={hintId}
          onChange={(event) => {
            setFile(event.target.files?.[0]);
            setNotice("");
          }}
        />
        <p id={hintId} className="muted small">
          Up to 5 MB: PDF, images, office documents or text, as the company allows.
        </p>
      </div>
      {suggested.length > 0 && (
        <fieldset className="tag-choices">
          <legend>Tags the pipeline asks for</legend>
          {suggested.map(({ tag, label }) => (
            <label key={tag} className="checkbox">
              <input type="checkbox" checked={checked.has(tag)} onChange={() => toggle(tag)} />
              <span>
                {tag} <span className="muted small">({label})</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={otherId}>Other tags (comma-separated)</label>
        <input id={otherId} value={otherTags} onChange={(event) => setOtherTags(event.target.value)} />
      </div>
      {upload.error !== undefined && <CompactError error={upload.error} />}
      <p className="board-notice" role="status">
        {notice}
      </p>
      <div>
        <button type="submit" className="button button-primary" disabled={upload.pending || !file}>
          {upload.pending ? "Uploading…" : "Upload"}
        </button>
      </div>
    </form>
  );
}
