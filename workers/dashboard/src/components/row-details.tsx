// What the logs' tables share (webhook deliveries, LLM calls, notifications): their column headers,
// and a row's "Details" button with the full-width row below it that the button opens.
import type { ReactNode } from "react";

export interface Column {
  label: string;
  className?: string;
  /** Named for screen readers only (a column of buttons). */
  hidden?: true;
}

export const columnHeaders = (columns: readonly Column[]): ReactNode =>
  columns.map((column) => (
    <th key={column.label} scope="col" className={column.className}>
      {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
    </th>
  ));

export function DetailsButton({
  open,
  onToggle,
  controls,
  of,
}: {
  open: boolean;
  onToggle: () => void;
  /** The detail row's id. */
  controls: string;
  /** Which row, for screen readers: "of the release.published delivery". */
  of: string;
}) {
  return (
    <button
      type="button"
      className="button button-quiet button-small"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={onToggle}
    >
      {open ? "Hide" : "Details"}
      <span className="visually-hidden"> {of}</span>
    </button>
  );
}

/** The row below, spanning every column, while it is open. */
export function DetailRow({
  open,
  columns,
  children,
}: {
  open: boolean;
  columns: number;
  children: ReactNode;
}) {
  if (!open) return null;
  return (
    <tr className="detail-row">
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}
