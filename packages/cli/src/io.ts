// What commands need from their surroundings, passed in so tests can call commands directly.

/** Anything text can be written to: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(chunk: string): unknown;
}

/** stderr: progress is redrawn in place only when it is a terminal. */
export interface TerminalSink extends TextSink {
  isTTY?: boolean;
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

/** 512 B, 3.4 KiB, 1.9 MiB, 2.1 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
