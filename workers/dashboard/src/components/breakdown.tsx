// A labelled bar list (installations by version, by operating system): readable as a list by
// screen readers, the bars only repeat the numbers.
export function Breakdown({
  rows,
  total,
  label,
}: {
  rows: { label: string; count: number }[];
  total: number;
  label: string;
}) {
  return (
    <ul className="breakdown" aria-label={label}>
      {rows.map((row) => (
        <li key={row.label}>
          <span className="breakdown-label">{row.label}</span>
          <span className="breakdown-count">{row.count}</span>
          <span className="breakdown-bar" aria-hidden="true">
            <span style={{ width: `${total > 0 ? (row.count / total) * 100 : 0}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}
