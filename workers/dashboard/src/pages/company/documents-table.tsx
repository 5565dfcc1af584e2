// The documents table the project page and the documents screen share: name (as the screen links
// it), type and tags, size, and when it was uploaded, newest first.
import type { Document } from "@nexus/contracts";
import type { ReactNode } from "react";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState } from "../../components/states.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { PagedList } from "../../lib/use-paged-list.ts";
import { formatBytes } from "./crm/format.ts";

export function DocumentsTable({
  list,
  caption,
  name,
}: {
  list: PagedList<Document>;
  caption: string;
  /** The name cell's main line (a link to the document, or its download). */
  name: (document: Document) => ReactNode;
}) {
  return (
    <PagedTable
      list={list}
      caption={caption}
      loading="Loading documents…"
      empty={<EmptyState title="No documents yet" />}
      columns={
        <>
          <th scope="col">Name</th>
          <th scope="col">Size</th>
          <th scope="col">Uploaded</th>
        </>
      }
      row={(document) => (
        <tr key={document.id}>
          <th scope="row">
            {name(document)}
            {document.status !== "ready" && (
              <>
                {" "}
                <span className="badge">Upload unfinished</span>
              </>
            )}
            <DocumentLine document={document} />
          </th>
          <td>{formatBytes(document.size)}</td>
          <td>
            <time dateTime={document.created_at}>{formatDateTime(document.created_at)}</time>
          </td>
        </tr>
      )}
    />
  );
}

/** A document's type and tags, under its name. */
export function DocumentLine({ document }: { document: Document }) {
  return (
    <span className="muted small cell-line">
      <span className="mono">{document.type}</span>
      {document.tags.length > 0 && ` · tagged ${document.tags.join(", ")}`}
    </span>
  );
}
