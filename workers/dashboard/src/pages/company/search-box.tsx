// The company's search box in its header: results as you type, grouped by type, with the matched
// words highlighted. A combobox (WAI-ARIA list autocomplete with automatic selection): ↑/↓ move,
// Enter opens, Escape closes, "/" or Ctrl/⌘+K focuses it from anywhere. Opening a result reports the
// click (which position of which query) without holding up the navigation.
import "../../styles/search.css";
import { type FocusEvent, type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { Link } from "../../components/link.tsx";
import { MarkedText } from "../../components/marked-text.tsx";
import { describeError } from "../../lib/api.ts";
import { navigate } from "../../lib/router.ts";
import { groupHits, hitHref, moveActive, type PlacedHit } from "../../lib/search-hits.ts";
import { reportSearchClick, useSearch } from "../../lib/use-search.ts";

const RESULTS = 20;

/** Typing in a field: "/" is a character there, not the shortcut. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function SearchBox({ companyId }: { companyId: string }) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const search = useSearch(companyId, text, { limit: RESULTS });
  const { data } = search;
  const groups = useMemo(() => (data ? groupHits(data.hits, data.facets.type) : []), [data]);
  const options = useMemo(() => groups.flatMap((group) => group.hits), [groups]);

  // A new answer starts again at its first result.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `data` is the trigger (a new answer).
  useEffect(() => setActive(0), [data]);

  useEffect(() => {
    const focusSearch = (event: globalThis.KeyboardEvent) => {
      const commandK = event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey) && !event.altKey;
      const slash =
        event.key === "/" && !event.metaKey && !event.ctrlKey && !event.altKey && !isEditable(event.target);
      if (!commandK && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
      setOpen(true);
    };
    document.addEventListener("keydown", focusSearch);
    return () => document.removeEventListener("keydown", focusSearch);
  }, []);

  const optionId = (position: number) => `${id}-option-${position}`;
  const chosen = ({ hit, position }: PlacedHit) => {
    if (data) reportSearchClick(companyId, data.query_id, hit, position);
    setOpen(false);
    setText("");
  };
  const openOption = (placed: PlacedHit) => {
    chosen(placed);
    navigate(hitHref(companyId, placed.hit));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const { key } = event;
    if (key === "ArrowDown" || key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive((current) => moveActive(current, options.length, key));
      return;
    }
    // Enter that ends an IME composition picks the characters, not a result.
    if (key === "Enter" && !event.nativeEvent.isComposing) {
      const placed = open ? options[active] : undefined;
      if (placed) {
        event.preventDefault();
        openOption(placed);
      }
      return;
    }
    if (key === "Escape") {
      event.preventDefault();
      if (open && text) setOpen(false);
      else {
        setText("");
        input.current?.blur();
      }
    }
  };

  // Closes when focus leaves the box and its results (a click on a result keeps it: see onMouseDown).
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) setOpen(false);
  };

  const shown = open && search.query !== "";
  const activeOption = shown ? options[active] : undefined;
  return (
    // Its labels avoid the words of the screens' own fields ("Search", "Project", "Type"…), which
    // tests and assistive tech find by name: every page has this box.
    <search className="global-search" aria-label="Company-wide" onBlur={onBlur}>
      <label className="visually-hidden" htmlFor={`${id}-input`}>
        Find anything in the company
      </label>
      <input
        ref={input}
        id={`${id}-input`}
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search…  ( / )"
        value={text}
        aria-expanded={shown}
        aria-controls={`${id}-listbox`}
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? optionId(activeOption.position) : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      <div className="search-popup" hidden={!shown}>
        <p className="search-status muted small" role="status">
          {!shown
            ? ""
            : search.error !== undefined
              ? ""
              : !data
                ? "Searching…"
                : data.total === 0
                  ? `No results for “${search.query}”`
                  : `${data.total} result${data.total === 1 ? "" : "s"}${search.loading ? " (updating…)" : ""}`}
        </p>
        {shown && search.error !== undefined && <SearchError error={search.error} />}
        {shown && data?.suggestion && (
          <p className="search-suggestion small">
            Did you mean{" "}
            <button
              type="button"
              className="search-suggestion-button"
              onClick={() => {
                setText(data.suggestion ?? "");
                input.current?.focus();
              }}
            >
              {data.suggestion}
            </button>
            ?
          </p>
        )}
        {/* Pressing a result must not take focus from the input: it keeps ↑/↓ and the active result. */}
        <div
          role="listbox"
          id={`${id}-listbox`}
          aria-label="Results"
          onMouseDown={(event) => event.preventDefault()}
        >
          {shown &&
            groups.map((group) => (
              // biome-ignore lint/a11y/useSemanticElements: a listbox's group of options, not a form's fieldset.
              <div role="group" key={group.type} aria-labelledby={`${id}-group-${group.type}`}>
                <div className="search-group-heading" id={`${id}-group-${group.type}`} role="presentation">
                  {group.label}
                  {group.total > group.hits.length && (
                    <span className="muted small">
                      {" "}
                      · {group.hits.length} of {group.total}
                    </span>
                  )}
                </div>
                {group.hits.map((placed) => (
                  <Link
                    key={`${placed.hit.type}:${placed.hit.id}`}
                    id={optionId(placed.position)}
                    role="option"
                    tabIndex={-1}
                    aria-selected={placed === activeOption}
                    className="search-option"
                    href={hitHref(companyId, placed.hit)}
                    onClick={() => chosen(placed)}
                    onMouseMove={() => setActive(options.indexOf(placed))}
                  >
                    <span className="search-option-title">
                      <MarkedText text={placed.hit.title} />
                    </span>
                    {placed.hit.snippet && (
                      <span className="search-option-snippet muted small">
                        <MarkedText text={placed.hit.snippet} />
                      </span>
                    )}
                  </Link>
                ))}
              </div>
            ))}
        </div>
      </div>
    </search>
  );
}

function SearchError({ error }: { error: unknown }) {
  const { title, detail } = describeError(error);
  return (
    <p className="search-error small" role="alert">
      <strong>{title}.</strong> {detail}
    </p>
  );
}
