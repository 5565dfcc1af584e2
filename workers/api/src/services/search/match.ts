// FTS5 MATCH expressions from query terms. Every term is quoted (terms hold only letters and digits,
// but quotes are doubled anyway), so no input reaches FTS5's query syntax; the last term is also a
// prefix (search as you type).

const quoted = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** Terms and their typo variants → the word index's MATCH: each term (or a variant) must match. */
export function wordMatch(terms: readonly string[], variants: readonly (readonly string[])[] = []): string {
  return terms
    .map((term, index) => {
      const star = index === terms.length - 1 ? "*" : "";
      const words = [term, ...(variants[index] ?? [])].map((word) => `${quoted(word)}${star}`);
      return words.length === 1 ? words[0] : `(${words.join(" OR ")})`;
    })
    .join(" AND ");
}

/** The trigram index needs 3 characters: shorter terms are checked on the text instead. */
export const TRIGRAM_MIN_LENGTH = 3;

/** The trigram twin's MATCH (contains-search), or null when no term is long enough for it. */
export function trigramMatch(terms: readonly string[]): string | null {
  const long = terms.filter((term) => [...term].length >= TRIGRAM_MIN_LENGTH);
  return long.length === 0 ? null : long.map(quoted).join(" AND ");
}

export const shortTerms = (terms: readonly string[]) =>
  terms.filter((term) => [...term].length < TRIGRAM_MIN_LENGTH);
