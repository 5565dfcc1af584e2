import { splitMarks } from "../lib/search-hits.ts";

/** A search result's text with its matched words highlighted, built from text nodes (never HTML). */
export function MarkedText({ text }: { text: string }) {
  return (
    <>
      {splitMarks(text).map((piece, index) =>
        // The pieces never reorder: their index is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        piece.marked ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
      )}
    </>
  );
}
