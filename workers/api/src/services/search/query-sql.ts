// The SQL of one search, built as text with its bound values in order. Raw SQL: drizzle cannot
// express FTS5 virtual tables, MATCH, bm25(), highlight() or snippet(). Nothing the caller sends is
// put into the text: terms go into bound MATCH expressions, types and filter values are bound, and
// the only inlined values are numbers and the contract's facet field names.
import { type SearchEntityType, type SearchFacetField, searchFacetFieldTypes } from "@nexus/contracts";
import { MARK_CLOSE, MARK_OPEN } from "./highlight.ts";
import { PROJECT_BOUND_TYPES, type SearchVisibility } from "./visibility.ts";

/** Column weights: a title hit outranks a tags hit, which outranks a body hit. */
const BM25 = "10.0, 1.0, 3.0";
/** Body tokens around the matches in a snippet. */
const SNIPPET_TOKENS = 12;

export interface SqlText {
  text: string;
  values: unknown[];
}

export interface SearchPlan {
  /** The word index's MATCH with typo variants. */
  wordMatch: string;
  /** The same without variants, when there are any: hits it also finds rank first. */
  exactMatch: string | null;
  /** The trigram twin's MATCH, when contains-search may add hits. */
  trigramMatch: string | null;
  /** Terms too short for trigrams, which a contains-hit must hold too. */
  shortTerms: string[];
  /** Contains-hits are added only while the word hits are fewer than this. */
  trigramBelow: number;
  types: SearchEntityType[];
  filters: Partial<Record<SearchFacetField, string[]>>;
  weights: Record<SearchEntityType, number>;
  visibility: SearchVisibility;
}

const placeholders = (count: number) => Array.from({ length: count }, () => "?").join(", ");

/** Which entries may count: the types asked for and visible, the caller's scope, the filters. */
function entryConditions(plan: SearchPlan): SqlText {
  const parts = [`e.entity_type IN (${placeholders(plan.types.length)})`];
  const values: unknown[] = [...plan.types];
  if (plan.visibility.assignedTo) {
    parts.push(
      `(e.entity_type NOT IN (${placeholders(PROJECT_BOUND_TYPES.length)}) OR e.project_id IN ` +
        "(SELECT project_id FROM project_assignments WHERE user_id = ?))",
    );
    values.push(...PROJECT_BOUND_TYPES, plan.visibility.assignedTo);
  }
  if (plan.visibility.libraryOnly) parts.push("e.project_id IS NULL");
  for (const [field, wanted] of Object.entries(plan.filters) as [SearchFacetField, string[]][]) {
    const types = searchFacetFieldTypes[field];
    parts.push(
      `e.entity_type IN (${placeholders(types.length)}) AND ` +
        `json_extract(e.facets, '$.${field}') IN (${placeholders(wanted.length)})`,
    );
    values.push(...types, ...wanted);
  }
  return { text: parts.join(" AND "), values };
}

function weightCase(weights: Record<SearchEntityType, number>): string {
  const cases = Object.entries(weights).map(([type, weight]) => `WHEN '${type}' THEN ${Number(weight)}`);
  return `(CASE e.entity_type ${cases.join(" ")} ELSE 1 END)`;
}

/**
 * `visible`: every hit the caller may see, with its tier (2: every term matched exactly or as a
 * prefix, 1: some only through a typo variant, 0: a contains-hit of the trigram twin) and its score
 * (-bm25 × type weight).
 */
function visibleHits(plan: SearchPlan): SqlText {
  const conditions = entryConditions(plan);
  const weight = weightCase(plan.weights);
  const values: unknown[] = [plan.wordMatch];
  const exact = plan.exactMatch
    ? "CASE WHEN w.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) THEN 2 ELSE 1 END"
    : "2";
  if (plan.exactMatch) values.push(plan.exactMatch);
  values.push(...conditions.values);
  let text = `WITH word AS (
      SELECT rowid, -bm25(search_fts, ${BM25}) AS rank FROM search_fts WHERE search_fts MATCH ?
    ),
    visible_word AS (
      SELECT w.rowid AS rid, ${exact} AS tier, w.rank * ${weight} AS score,
        e.entity_type, e.entity_id, e.project_id, e.title, e.facets
      FROM word w JOIN search_entities e ON e.rowid = w.rowid WHERE ${conditions.text}
    )`;
  if (!plan.trigramMatch)
    return { text: `${text}, visible AS MATERIALIZED (SELECT * FROM visible_word)`, values };
  const shortText = plan.shortTerms
    .map(() => " AND instr(lower(e.title || ' ' || e.body || ' ' || e.tags), ?) > 0")
    .join("");
  text += `,
    visible_contains AS (
      SELECT t.rowid AS rid, 0 AS tier, -bm25(search_trigram, ${BM25}) * ${weight} AS score,
        e.entity_type, e.entity_id, e.project_id, e.title, e.facets
      FROM search_trigram t JOIN search_entities e ON e.rowid = t.rowid
      WHERE search_trigram MATCH ? AND t.rowid NOT IN (SELECT rowid FROM word)
        AND (SELECT count(*) FROM visible_word) < ? AND ${conditions.text}${shortText}
    ),
    visible AS MATERIALIZED (SELECT * FROM visible_word UNION ALL SELECT * FROM visible_contains)`;
  values.push(plan.trigramMatch, plan.trigramBelow, ...conditions.values, ...plan.shortTerms);
  return { text, values };
}

/**
 * One page of hits (kind "hit", best first: exact before typo before contains) and the counts over
 * every visible hit per type and per value of each facet field asked for (kind "count", the values
 * in f0, f1, …), in one statement so the match set is found and scored once.
 */
export function resultsSql(
  plan: SearchPlan,
  fields: readonly SearchFacetField[],
  page: { limit: number; offset: number },
): SqlText {
  const visible = visibleHits(plan);
  const facetColumns = fields
    .map((field, index) => `, json_extract(facets, '$.${field}') AS f${index}`)
    .join("");
  const facetGroups = fields.map((_, index) => `, f${index}`).join("");
  const nulls = fields.map((_, index) => `, NULL AS f${index}`).join("");
  const counted = fields.map((_, index) => `, f${index}`).join("");
  return {
    text: `${visible.text},
      page AS (
        SELECT rid, tier, score, entity_type, entity_id, project_id, title FROM visible
        ORDER BY tier DESC, score DESC, rid LIMIT ? OFFSET ?
      ),
      counts AS (SELECT entity_type${facetColumns}, count(*) AS n FROM visible GROUP BY entity_type${facetGroups})
      SELECT 'hit' AS kind, rid, tier, score, entity_type, entity_id, project_id, title, NULL AS n${nulls} FROM page
      UNION ALL
      SELECT 'count', NULL, NULL, NULL, entity_type, NULL, NULL, NULL, n${counted} FROM counts`,
    values: [...visible.values, page.limit, page.offset],
  };
}

/** The marked title and body snippet of some hits of one index (word or trigram twin). */
export function decorationSql(
  table: "search_fts" | "search_trigram",
  match: string,
  rowids: number[],
): SqlText {
  return {
    text: `SELECT rowid, highlight(${table}, 0, ?, ?) AS title,
        snippet(${table}, 1, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet
      FROM ${table} WHERE ${table} MATCH ? AND rowid IN (${placeholders(rowids.length)})`,
    values: [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, match, ...rowids],
  };
}

/** A statement from built SQL. Raw SQL: drizzle cannot express FTS5 queries (see above). */
export const statement = (db: D1Database, sql: SqlText) => db.prepare(sql.text).bind(...sql.values);
