// Search results as the dashboard shows them: marked text split into plain and highlighted pieces
// (rendered as React text, never as HTML), hits grouped by type in a fixed order, and the screen each
// hit opens.
import { SEARCH_ENTITY_TYPES, type SearchEntityType, type SearchHit } from "@nexus/contracts";
import { companyPath } from "../pages/company/section.ts";

export interface MarkedPiece {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * The API escapes the record's text and adds only `<mark>`/`</mark>`: undo the escaping piece by
 * piece, so the pieces become text nodes (an escaped `&lt;script&gt;` shows as typed and never runs).
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** `a <mark>b</mark> c` → [a ][b, marked][ c]; an unclosed mark runs to the end, a stray close is dropped. */
export function splitMarks(text: string): MarkedPiece[] {
  const pieces: MarkedPiece[] = [];
  let marked = false;
  for (const part of text.split(/(<\/?mark>)/)) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const previous = pieces.at(-1);
      const decoded = decodeEntities(part);
      if (previous && previous.marked === marked) previous.text += decoded;
      else pieces.push({ text: decoded, marked });
    }
  }
  return pieces;
}

export const SEARCH_TYPE_LABELS: Record<SearchEntityType, string> = {
  project: "Projects",
  client: "Clients",
  activity: "Activities",
  document: "Documents",
  machine: "Machines",
  member: "Members",
  showroom: "Showrooms",
};

export interface PlacedHit {
  hit: SearchHit;
  /** The hit's place in the list as shown (groups in order), reported with a click. */
  position: number;
}

export interface HitGroup {
  type: SearchEntityType;
  label: string;
  hits: PlacedHit[];
  /** Matches of this type over every page (the API's type facet), at least the hits shown. */
  total: number;
}

/**
 * The hits by type in a fixed order (projects first, as the list reads top to bottom the same for
 * every query), each group in the API's ranking; positions count through the groups.
 */
export function groupHits(hits: readonly SearchHit[], typeCounts: Record<string, number> = {}): HitGroup[] {
  const groups: HitGroup[] = [];
  let position = 0;
  for (const type of SEARCH_ENTITY_TYPES) {
    const ofType = hits.filter((hit) => hit.type === type);
    if (ofType.length === 0) continue;
    groups.push({
      type,
      label: SEARCH_TYPE_LABELS[type],
      hits: ofType.map((hit) => ({ hit, position: position++ })),
      total: Math.max(typeCounts[type] ?? 0, ofType.length),
    });
  }
  return groups;
}

/** The screen a hit opens: its own page where it has one, else the one that shows it. */
export function hitHref(companyId: string, hit: Pick<SearchHit, "type" | "id" | "project_id">): string {
  switch (hit.type) {
    case "project":
      return companyPath(companyId, "projects", hit.id);
    case "client":
    case "activity":
      return hit.project_id
        ? companyPath(companyId, "projects", hit.project_id)
        : companyPath(companyId, "projects");
    case "document":
      return companyPath(companyId, "documents", hit.id);
    case "machine":
      return companyPath(companyId, "machines", hit.id);
    case "member":
      return companyPath(companyId, "members");
    case "showroom":
      // No showroom screen: its projects are where a showroom is seen.
      return `${companyPath(companyId, "projects")}?showroom=${encodeURIComponent(hit.id)}`;
  }
}

/** The next option for ↑/↓ over `count` options, wrapping; -1 is "none" (the input itself). */
export function moveActive(active: number, count: number, key: "ArrowDown" | "ArrowUp"): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return active + 1 >= count ? 0 : active + 1;
  return active <= 0 ? count - 1 : active - 1;
}
