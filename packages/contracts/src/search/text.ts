// The text rules of search, shared by the API (over the FTS5 index) and the apps (over the jobs they
// synced, offline), so a query finds the same records either way. Zod-free: apps import it through
// `@nexus/contracts/search-text` without the schemas.

/** At most this many terms of a query are used (a pasted paragraph is not a query). */
export const MAX_QUERY_TERMS = 10;
/** Longer terms are cut (a 1 KB "word" matches nothing longer than this anyway). */
export const MAX_TERM_LENGTH = 64;

/**
 * Lower case without the diacritics of Latin letters: what FTS5's `unicode61 remove_diacritics 2`
 * tokenizer folds, so the vocabulary and the query meet ("Müller" and "muller"). Marks on other
 * scripts stay (ガ is not カ), and the text is recomposed so Hangul syllables stay whole.
 */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/(?<=\p{Script=Latin})\p{M}+/gu, "")
    .normalize("NFC")
    .toLowerCase();
}

/**
 * The query's terms: runs of letters and digits (any script), folded. Everything else (quotes, `*`,
 * `NEAR(`, `-`, emoji) separates terms, so no input reaches FTS5's query syntax.
 */
export function queryTerms(query: string): string[] {
  const terms = foldText(query).match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.slice(0, MAX_QUERY_TERMS).map((term) => term.slice(0, MAX_TERM_LENGTH));
}

/** The query as logged and compared: its terms joined by one space. */
export function normalizeQuery(query: string): string {
  return queryTerms(query).join(" ");
}

/**
 * How many typos a term may have (Meilisearch's defaults): none up to 4 characters, 1 from 5, 2 from
 * 9. Counted in code points, so a term in another script is measured as a person reads it.
 */
export function typoBudget(term: string): number {
  const length = [...term].length;
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * Edits between two words: insertions, deletions, substitutions and swaps of neighbours
 * (optimal string alignment), so "phnoe" is one typo from "phone". Stops early past `max`
 * (returning max + 1), which keeps a scan over a vocabulary cheap.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * Whether `word` (folded) matches the query term: exactly, as a prefix when the term is the last one
 * (search as you type), or within the term's typo budget.
 */
export function termMatches(term: string, word: string, isLast: boolean): "exact" | "prefix" | "typo" | null {
  if (word === term) return "exact";
  if (isLast && word.startsWith(term)) return "prefix";
  const budget = typoBudget(term);
  if (budget > 0 && editDistance(term, word, budget) <= budget) return "typo";
  if (isLast && budget > 0 && word.length > term.length) {
    // A typo in what has been typed so far: "invoi" → "invocie" is still being typed.
    if (editDistance(term, word.slice(0, term.length), budget) <= budget) return "typo";
  }
  return null;
}

export interface OfflineSearchRecord {
  id: string;
  /** Weighted like the server's columns: a title hit outranks a body hit. */
  title: string;
  body?: string;
  tags?: string;
}

export interface OfflineSearchHit<T extends OfflineSearchRecord> {
  record: T;
  score: number;
}

const COLUMN_WEIGHTS = { title: 10, tags: 3, body: 1 } as const;
const MATCH_WEIGHTS = { exact: 1, prefix: 0.8, typo: 0.5 } as const;

/**
 * Searches records held on the device by the server's rules: every term must match (exactly, as a
 * prefix for the last one, or within its typo budget) in some column, a title match outranks a body
 * match, and exact matches outrank typos. Returns the hits best first.
 */
export function searchOffline<T extends OfflineSearchRecord>(
  records: readonly T[],
  query: string,
  limit = 20,
): OfflineSearchHit<T>[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const hits: OfflineSearchHit<T>[] = [];
  for (const record of records) {
    const columns = (["title", "tags", "body"] as const).map((column) => ({
      weight: COLUMN_WEIGHTS[column],
      words: foldText(record[column] ?? "").match(/[\p{L}\p{N}]+/gu) ?? [],
    }));
    let score = 0;
    let all = true;
    for (const [index, term] of terms.entries()) {
      let best = 0;
      for (const column of columns) {
        for (const word of column.words) {
          const kind = termMatches(term, word, index === terms.length - 1);
          if (kind) best = Math.max(best, column.weight * MATCH_WEIGHTS[kind]);
        }
      }
      if (best === 0) {
        all = false;
        break;
      }
      score += best;
    }
    if (all) hits.push({ record, score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}
