// Typo tolerance from the index's own vocabulary (search_vocab, fts5vocab over search_fts): for a
// term, the indexed words with the same first character and a length within its budget, kept when
// their edit distance is within the budget (Meilisearch's: 1 typo from 5 characters, 2 from 9).
// The same words give "did you mean" when a query finds little.
import { editDistance, typoBudget } from "@nexus/contracts/search-text";

/** Typo variants searched per term: the closest, then the most common. */
const MAX_CANDIDATES = 8;
/**
 * Vocabulary words read on each side of a term: bounds the transfer and the edit distances when a
 * first letter has very many words (codes, numbers). The words nearest the term in sort order share
 * its longest prefix, so a typo late in a word is still found.
 */
const VOCAB_ROWS_PER_SIDE = 1000;

export interface VocabWord {
  term: string;
  /** How many entries hold the word. */
  doc: number;
}

/** The distance a suggestion may be from the term: the typo budget, but at least one edit. */
export const suggestionBudget = (term: string) => Math.max(1, typoBudget(term));

/** Whether a term may have typos, so its vocabulary is read before the search. */
export const hasTypoBudget = (term: string) => typoBudget(term) > 0;

/**
 * The vocabulary read for `term`: words with its first character and a length within ±window,
 * nearest the term on either side (two statements). Raw SQL: drizzle cannot express the fts5vocab
 * virtual table. The range on `term` lets fts5vocab seek.
 */
export function vocabStatements(db: D1Database, term: string, window: number): D1PreparedStatement[] {
  const code = term.codePointAt(0) ?? 0;
  const length = [...term].length;
  const lengths = [Math.max(1, length - window), length + window];
  // raw SQL: drizzle has no schema for FTS5 virtual tables
  const select = (range: string, order: string) =>
    db.prepare(
      `SELECT term, doc FROM search_vocab WHERE ${range} AND length(term) BETWEEN ?3 AND ?4
       ORDER BY term ${order} LIMIT ${VOCAB_ROWS_PER_SIDE}`,
    );
  return [
    select("term >= ?1 AND term < ?2", "ASC").bind(term, String.fromCodePoint(code + 1), ...lengths),
    select("term >= ?1 AND term < ?2", "DESC").bind(String.fromCodePoint(code), term, ...lengths),
  ];
}

/** The words within the term's typo budget (not the term itself), closest and most common first. */
export function typoCandidates(term: string, words: readonly VocabWord[]): string[] {
  const budget = typoBudget(term);
  if (budget === 0) return [];
  return words
    .filter((word) => word.term !== term)
    .map((word) => ({ ...word, distance: editDistance(term, word.term, budget) }))
    .filter((word) => word.distance <= budget)
    .sort((a, b) => a.distance - b.distance || b.doc - a.doc || (a.term < b.term ? -1 : 1))
    .slice(0, MAX_CANDIDATES)
    .map((word) => word.term);
}

/**
 * The word a person likely meant: the term itself when the index holds it (or, for the last term,
 * a word it begins), else the closest word within suggestionBudget held by the most entries.
 */
export function closestWord(term: string, words: readonly VocabWord[], isLast: boolean): string {
  if (words.some((word) => word.term === term || (isLast && word.term.startsWith(term)))) return term;
  const budget = suggestionBudget(term);
  let best: { term: string; distance: number; doc: number } | null = null;
  for (const word of words) {
    const distance = editDistance(term, word.term, budget);
    if (distance > budget) continue;
    if (!best || distance < best.distance || (distance === best.distance && word.doc > best.doc)) {
      best = { term: word.term, distance, doc: word.doc };
    }
  }
  return best?.term ?? term;
}

/** "Did you mean": the query with each term replaced by its closest word, or null if none changes. */
export function suggestQuery(
  terms: readonly string[],
  vocab: readonly (readonly VocabWord[])[],
): string | null {
  const words = terms.map((term, index) => closestWord(term, vocab[index] ?? [], index === terms.length - 1));
  return words.some((word, index) => word !== terms[index]) ? words.join(" ") : null;
}
