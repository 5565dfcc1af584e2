// The filters both CRM screens share — text, showroom, assignee — kept in the address's query
// (q, showroom, assignee) and applied by the API.
import type { ReactNode } from "react";
import { SelectField, TextField } from "../../../components/field.tsx";
import type { CrmContext } from "./data.ts";
import { useQuery, useQueryText } from "./query.ts";

export interface ProjectFilterValues {
  /** As the API takes them: undefined for "any". */
  q: string | undefined;
  showroomId: string | undefined;
  assignee: string | undefined;
}

export function useProjectFilterValues(): ProjectFilterValues {
  const [query] = useQuery();
  return {
    q: query.get("q")?.trim() || undefined,
    showroomId: query.get("showroom") || undefined,
    assignee: query.get("assignee") || undefined,
  };
}

export function ProjectFilters({
  crm,
  anyShowroom,
  keys,
  children,
}: {
  crm: CrmContext;
  /** Offer "All showrooms"; else the showroom shown without a choice is the first. */
  anyShowroom: boolean;
  /** Every query key the screen filters by, for "Clear filters". */
  keys: readonly string[];
  /** More filters of the screen's own. */
  children?: ReactNode;
}) {
  const [query, setQuery] = useQuery();
  const { clear: clearText, ...search } = useQueryText("q");
  const filtered = keys.some((key) => query.get(key));
  const clear = () => {
    clearText();
    setQuery(Object.fromEntries(keys.map((key) => [key, undefined])));
  };
  return (
    <search className="filters">
      <TextField label="Search" type="search" placeholder="Client, email, title or P-number" {...search} />
      <SelectField
        label="Showroom"
        value={query.get("showroom") || (anyShowroom ? "" : (crm.showrooms[0]?.id ?? ""))}
        choices={[
          ...(anyShowroom ? [{ value: "", label: "All showrooms" }] : []),
          ...crm.showrooms.map((showroom) => ({
            value: showroom.id,
            label: `${showroom.name} (${showroom.type})`,
          })),
        ]}
        onChange={(showroom) => setQuery({ showroom })}
      />
      <SelectField
        label="Assignee"
        value={query.get("assignee") ?? ""}
        choices={[
          { value: "", label: "Anyone" },
          { value: "me", label: "Assigned to me" },
          ...crm.members.map((member) => ({ value: member.user_id, label: member.name || member.email })),
        ]}
        onChange={(assignee) => setQuery({ assignee })}
      />
      {children}
      {filtered && (
        <button type="button" className="button button-quiet" onClick={clear}>
          Clear filters
        </button>
      )}
    </search>
  );
}
