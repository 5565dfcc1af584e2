// Company section "Documents": the company's document library newest first, searched through the
// company search (names, tags and the text of text and PDF files, typo-tolerant; the words in the
// address as `q`), and at /documents/{documentId} one document with its links and download.
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { TextField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { Loaded } from "../../components/states.tsx";
import { callApi, routeUrl } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAsync } from "../../lib/use-async.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { useSearch } from "../../lib/use-search.ts";
import { formatBytes } from "./crm/format.ts";
import { useQuery, useQueryText } from "./crm/query.ts";
import { DocumentLine, DocumentsTable } from "./documents-table.tsx";
import { SearchResults } from "./search-results.tsx";
import { type CompanySectionProps, companyPath } from "./section.ts";

const PAGE_SIZE = 25;
const DOCUMENT_TYPES = ["document"] as const;

export function DocumentsSection({ company, rest }: CompanySectionProps) {
  const [documentId] = rest;
  return documentId ? (
    <DocumentPage key={documentId} companyId={company.id} documentId={documentId} />
  ) : (
    <DocumentLibrary companyId={company.id} />
  );
}

function DocumentLibrary({ companyId }: { companyId: string }) {
  const [, setQuery] = useQuery();
  const { value, onChange } = useQueryText("q", 200);
  const search = useSearch(companyId, value, { types: DOCUMENT_TYPES, limit: 50 });
  return (
    <section className="panel" aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      <search className="filters">
        <TextField
          label="Search documents"
          type="search"
          placeholder="Name, tag or words inside"
          value={value}
          onChange={onChange}
        />
      </search>
      {search.query ? (
        <SearchResults
          companyId={companyId}
          search={search}
          noun="documents"
          onSuggestion={(suggestion) => setQuery({ q: suggestion })}
        />
      ) : (
        <NewestDocuments companyId={companyId} />
      )}
    </section>
  );
}

function NewestDocuments({ companyId }: { companyId: string }) {
  const list = usePagedList(
    useCallback(
      (cursor: string | undefined, signal?: AbortSignal) =>
        callApi(routes.listDocuments, {
          params: { companyId },
          query: { limit: PAGE_SIZE, cursor },
          signal,
        }).then((page) => ({ items: page.documents, nextCursor: page.next_cursor })),
      [companyId],
    ),
  );
  return (
    <DocumentsTable
      list={list}
      caption="The company's documents, newest first"
      name={(document) => (
        <Link href={companyPath(companyId, "documents", document.id)}>{document.name}</Link>
      )}
    />
  );
}

function DocumentPage({ companyId, documentId }: { companyId: string; documentId: string }) {
  const state = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getDocument, { params: { companyId, documentId }, signal }),
      [companyId, documentId],
    ),
  );
  return (
    <section className="panel" aria-labelledby="document-heading">
      <p className="small">
        <Link href={companyPath(companyId, "documents")}>All documents</Link>
      </p>
      <Loaded state={state} loading="Loading the document…">
        {({ document }) => (
          <>
            <h2 id="document-heading">{document.name}</h2>
            <DocumentLine document={document} />
            <dl className="document-facts">
              <dt>Size</dt>
              <dd>{formatBytes(document.size)}</dd>
              <dt>Uploaded</dt>
              <dd>
                <time dateTime={document.created_at}>{formatDateTime(document.created_at)}</time>
              </dd>
              {document.project_id && (
                <LinkedFact term="Project" href={companyPath(companyId, "projects", document.project_id)}>
                  Open the project
                </LinkedFact>
              )}
              {document.machine_id && (
                <LinkedFact term="Machine" href={companyPath(companyId, "machines", document.machine_id)}>
                  Open the machine
                </LinkedFact>
              )}
            </dl>
            {document.status === "ready" && (
              <a
                className="button"
                href={routeUrl(routes.downloadDocument.path, { companyId, documentId: document.id })}
                download={document.name}
              >
                Download
              </a>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function LinkedFact({ term, href, children }: { term: string; href: string; children: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>
        <Link href={href}>{children}</Link>
      </dd>
    </>
  );
}
