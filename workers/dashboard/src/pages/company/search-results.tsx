// A list screen's search answer (routes.searchCompany for one type): how many match, "did you mean",
// and the matching records with their highlights, each linked to its screen and its click reported.
import "../../styles/search.css";
import { Link } from "../../components/link.tsx";
import { MarkedText } from "../../components/marked-text.tsx";
import { EmptyState, ErrorState, Loading } from "../../components/states.tsx";
import { hitHref } from "../../lib/search-hits.ts";
import { reportSearchClick, type SearchState } from "../../lib/use-search.ts";

export function SearchResults({
  companyId,
  search,
  noun,
  onSuggestion,
}: {
  companyId: string;
  search: SearchState;
  /** What is searched, plural ("documents"). */
  noun: string;
  /** Searches the suggested words instead. */
  onSuggestion: (query: string) => void;
}) {
  const { data } = search;
  if (search.error !== undefined) return <ErrorState error={search.error} onRetry={search.reload} />;
  if (!data) return <Loading label={`Searching ${noun}…`} />;
  return (
    <div aria-busy={search.loading}>
      <p className="muted small" role="status">
        {data.total === 0
          ? ""
          : data.total === 1
            ? `1 ${noun.replace(/s$/, "")} matches “${search.query}”`
            : `${data.total} ${noun} match “${search.query}”`}
      </p>
      {data.suggestion && (
        <p className="small">
          Did you mean{" "}
          <button
            type="button"
            className="search-suggestion-button"
            onClick={() => onSuggestion(data.suggestion ?? "")}
          >
            {data.suggestion}
          </button>
          ?
        </p>
      )}
      {data.hits.length === 0 ? (
        <EmptyState title={`No ${noun} match “${search.query}”`} />
      ) : (
        <ol className="search-results" aria-label={`${noun} matching “${search.query}”`}>
          {data.hits.map((hit, position) => (
            <li key={hit.id}>
              <Link
                href={hitHref(companyId, hit)}
                onClick={() => reportSearchClick(companyId, data.query_id, hit, position)}
              >
                <MarkedText text={hit.title} />
              </Link>
              {hit.snippet && (
                <span className="muted small cell-line">
                  <MarkedText text={hit.snippet} />
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {data.next_cursor && (
        <p className="muted small">The best {data.hits.length} are shown: add words to narrow the search.</p>
      )}
    </div>
  );
}
