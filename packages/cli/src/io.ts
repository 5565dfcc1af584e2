// What commands need from their surroundings, passed in so tests can call commands directly.

/** Anything text can be written to: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(chunk: string): unknown;
}

/** The subset of fetch the CLI uses; the global fetch fits, and tests can wrap it. */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Left-aligned columns, two spaces apart; null and empty cells print as "-". */
export function formatTable(headers: string[], rows: (string | null)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === "" ? "-" : cell))),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** "1 binding", "3 bindings". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
