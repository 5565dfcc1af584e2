// A release's files as a table: the ones a new release will declare, or the ones it has.
import type { ReactNode } from "react";
import { formatBytes } from "./release-summary.tsx";

interface FileRow {
  name: string;
  platform: string;
  kind: string;
  size: number;
}

export function ReleaseFilesTable<T extends FileRow>({
  files,
  caption,
  platformCell = (file) => file.platform,
  last,
}: {
  files: readonly T[];
  caption: string;
  /** What the platform column shows (a new release lets the operator choose some). */
  platformCell?: (file: T) => ReactNode;
  /** The last column: its title and cell. */
  last: { title: string; cell: (file: T) => ReactNode };
}) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="release-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Platform</th>
            <th scope="col">Kind</th>
            <th scope="col">Size</th>
            <th scope="col">{last.title}</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.name}>
              <th scope="row" className="mono updates-wrap">
                {file.name}
              </th>
              <td>{platformCell(file)}</td>
              <td>{file.kind}</td>
              <td>{formatBytes(file.size)}</td>
              <td>{last.cell(file)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
