// One federated search over a company's index (docs/search.md): typo variants from the vocabulary,
// then one ranked page and the counts over every visible hit, then the page's marked titles and
// snippets. Three round trips at most, four when a weak query asks for "did you mean".
import {
  DEFAULT_SEARCH_TYPE_WEIGHTS,
  type SearchEntityType,
  type SearchFacetField,
  type SearchHit,
  searchFacetFieldTypes,
} from "@nexus/contracts";
import { queryTerms } from "@nexus/contracts/search-text";
import { decodeSearchCursor, encodeSearchCursor, MAX_SEARCH_OFFSET } from "./cursor.ts";
import { escapeHtml, MARK_OPEN, markedHtml } from "./highlight.ts";
import { withSearchIndex } from "./index-missing.ts";
import { shortTerms, trigramMatch, wordMatch } from "./match.ts";
import { decorationSql, resultsSql, type SearchPlan, statement } from "./query-sql.ts";
import {
  hasTypoBudget,
  suggestionBudget,
  suggestQuery,
  typoCandidates,
  type VocabWord,
  vocabStatements,
} from "./typo.ts";
import type { SearchVisibility } from "./visibility.ts";

/** Fewer hits than this and the answer suggests other words, if the vocabulary has closer ones. */
const LOW_RECALL = 3;

export interface SearchInput {
  q: string;
  types?: SearchEntityType[] | undefined;
  filters?: Partial<Record<SearchFacetField, string | string[]>> | undefined;
  facets?: SearchFacetField[] | undefined;
  weights?: Partial<Record<SearchEntityType, number>> | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
  facets: Record<string, Record<string, number>>;
  suggestion: string | null;
  corrections: Record<string, string[]>;
  nextCursor: string | null;
}

interface PageRow {
  rid: number;
  tier: number;
  score: number;
  entity_type: SearchEntityType;
  entity_id: string;
  project_id: string | null;
  title: string;
}
type CountRow = { entity_type: SearchEntityType; n: number } & Record<string, unknown>;
interface DecorationRow {
  rowid: number;
  title: string;
  snippet: string;
}

const MATCH_KINDS = ["contains", "typo", "exact"] as const;

/** The page's order, as the SQL ranked it (a compound SELECT does not promise to keep it). */
const bestFirst = (a: PageRow, b: PageRow) => b.tier - a.tier || b.score - a.score || a.rid - b.rid;

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The types searched: asked for (or all), visible to the caller, and described by every filter. */
function searchedTypes(input: SearchInput, visibility: SearchVisibility): SearchEntityType[] {
  const filtered = Object.keys(input.filters ?? {}) as SearchFacetField[];
  return visibility.types.filter(
    (type) =>
      (input.types?.includes(type) ?? true) &&
      filtered.every((field) => searchFacetFieldTypes[field].includes(type)),
  );
}

function emptyResult(query: string, facets: readonly SearchFacetField[]): SearchResult {
  return {
    query,
    total: 0,
    hits: [],
    facets: Object.fromEntries([["type", {}], ...facets.map((field) => [field, {}])]),
    suggestion: null,
    corrections: {},
    nextCursor: null,
  };
}

async function readVocab(db: D1Database, terms: readonly string[], wanted: readonly boolean[]) {
  const indexes = terms.flatMap((_, index) => (wanted[index] ? [index] : []));
  const vocab: VocabWord[][] = terms.map(() => []);
  if (indexes.length === 0) return vocab;
  const statements = indexes.map((index) => {
    const term = terms[index] ?? "";
    return vocabStatements(db, term, suggestionBudget(term));
  });
  const results = await db.batch<VocabWord>(statements.flat());
  indexes.forEach((termIndex, position) => {
    const [after, before] = [results[position * 2], results[position * 2 + 1]];
    vocab[termIndex] = [...(after?.results ?? []), ...(before?.results ?? [])];
  });
  return vocab;
}

function facetCounts(rows: readonly CountRow[], fields: readonly SearchFacetField[]) {
  const facets: Record<string, Record<string, number>> = { type: {} };
  for (const field of fields) facets[field] = {};
  for (const row of rows) {
    const byType = facets.type ?? {};
    byType[row.entity_type] = (byType[row.entity_type] ?? 0) + row.n;
    fields.forEach((field, index) => {
      const value = row[`f${index}`];
      const counts = facets[field] ?? {};
      if (value !== null && value !== undefined) counts[String(value)] = (counts[String(value)] ?? 0) + row.n;
    });
  }
  return facets;
}

async function decorations(db: D1Database, plan: SearchPlan, page: readonly PageRow[]) {
  const word = page.filter((row) => row.tier > 0).map((row) => row.rid);
  const contains = page.filter((row) => row.tier === 0).map((row) => row.rid);
  const statements = [
    ...(word.length > 0 ? [statement(db, decorationSql("search_fts", plan.wordMatch, word))] : []),
    ...(contains.length > 0 && plan.trigramMatch
      ? [statement(db, decorationSql("search_trigram", plan.trigramMatch, contains))]
      : []),
  ];
  const marked = new Map<number, DecorationRow>();
  if (statements.length === 0) return marked;
  for (const result of await db.batch<DecorationRow>(statements)) {
    for (const row of result.results) marked.set(row.rowid, row);
  }
  return marked;
}

function toHit(row: PageRow, marked: DecorationRow | undefined): SearchHit {
  const snippet = marked?.snippet ?? "";
  return {
    type: row.entity_type,
    id: row.entity_id,
    title: marked ? markedHtml(marked.title) : escapeHtml(row.title),
    // snippet() gives the body's start when only the title matched: no fragment then.
    snippet: snippet.includes(MARK_OPEN) ? markedHtml(snippet) : "",
    project_id: row.project_id,
    score: Math.round(row.score * 1e4) / 1e4,
    match: MATCH_KINDS[row.tier] ?? "exact",
  };
}

function searchPlan(
  input: SearchInput,
  terms: string[],
  variants: string[][],
  types: SearchEntityType[],
  visibility: SearchVisibility,
): SearchPlan {
  return {
    wordMatch: wordMatch(terms, variants),
    exactMatch: variants.some((words) => words.length > 0) ? wordMatch(terms) : null,
    trigramMatch: trigramMatch(terms),
    shortTerms: shortTerms(terms),
    trigramBelow: input.limit,
    types,
    filters: Object.fromEntries(
      Object.entries(input.filters ?? {}).map(([field, value]) => [field, asList(value)]),
    ),
    weights: { ...DEFAULT_SEARCH_TYPE_WEIGHTS, ...input.weights },
    visibility,
  };
}

/** "Did you mean", reading the vocabulary of the terms too short to have been read for typos. */
async function suggestion(db: D1Database, terms: string[], vocab: VocabWord[][]): Promise<string | null> {
  const unread = terms.map((term) => !hasTypoBudget(term));
  const more = await readVocab(db, terms, unread);
  return suggestQuery(
    terms,
    vocab.map((words, index) => (unread[index] ? (more[index] ?? []) : words)),
  );
}

export async function searchIndex(
  db: D1Database,
  input: SearchInput,
  visibility: SearchVisibility,
): Promise<SearchResult> {
  const terms = queryTerms(input.q);
  const fields = input.facets ?? [];
  const offset = decodeSearchCursor(input.cursor);
  const types = searchedTypes(input, visibility);
  if (terms.length === 0 || types.length === 0) return emptyResult(terms.join(" "), fields);
  return withSearchIndex(async () => {
    const vocab = await readVocab(db, terms, terms.map(hasTypoBudget));
    const variants = terms.map((term, index) => typoCandidates(term, vocab[index] ?? []));
    const plan = searchPlan(input, terms, variants, types, visibility);
    const page = { limit: input.limit, offset };
    const { results } = await statement(db, resultsSql(plan, fields, page)).all<
      ({ kind: "hit" } & PageRow) | ({ kind: "count" } & CountRow)
    >();
    const rows = results.flatMap((row) => (row.kind === "hit" ? [row] : [])).sort(bestFirst);
    const counts = results.flatMap((row) => (row.kind === "count" ? [row] : []));
    const facets = facetCounts(counts, fields);
    const total = Object.values(facets.type ?? {}).reduce((sum, n) => sum + n, 0);
    const [marked, suggested] = await Promise.all([
      decorations(db, plan, rows),
      total < LOW_RECALL ? suggestion(db, terms, vocab) : null,
    ]);
    const next = offset + rows.length;
    return {
      query: terms.join(" "),
      total,
      hits: rows.map((row) => toHit(row, marked.get(row.rid))),
      facets,
      suggestion: suggested,
      corrections: Object.fromEntries(
        terms.flatMap((term, index) => {
          const words = variants[index] ?? [];
          return words.length > 0 ? [[term, words] as const] : [];
        }),
      ),
      nextCursor: next < total && next <= MAX_SEARCH_OFFSET ? encodeSearchCursor(next) : null,
    };
  });
}
