// FTS5's highlight() and snippet() return the indexed text as it is, which is user text (a project
// may be titled `<b>x</b>`). They mark matches with private-use characters instead of `<mark>`, so
// the text can be escaped first and the markers turned into tags afterwards.

/** What highlight()/snippet() put around a match (private-use: never typed, never indexed). */
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Marked FTS output → HTML-escaped text with `<mark>…</mark>` around the matches. */
export function markedHtml(marked: string): string {
  let html = "";
  let open = false;
  for (const piece of marked.split(/([\uE000\uE001])/)) {
    if (piece === MARK_OPEN) {
      if (!open) html += "<mark>";
      open = true;
    } else if (piece === MARK_CLOSE) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += escapeHtml(piece);
    }
  }
  return open ? `${html}</mark>` : html;
}
