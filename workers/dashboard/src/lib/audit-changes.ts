// What an audit entry's details say changed. Writers record changes in three shapes: `before` and
// `after` objects (settings), a single `from` and `to` (a member's role, a project's stage), or only
// the new values under `changes` (company, project and endpoint edits). Everything else is a fact.

export interface AuditChange {
  field: string;
  /** Undefined: the field was not set before (or after). */
  before?: string;
  after?: string;
}

export interface AuditDetailsView {
  /** Fields whose value before and after the entry both were recorded, and differ. */
  changed: AuditChange[];
  /** Fields the entry set, without their earlier values (the writer recorded only the new ones). */
  newValues: [field: string, value: string][];
  /** The rest of the details, as recorded. */
  facts: [field: string, value: string][];
}

// What a single `from`/`to` pair is the value of, by action.
const FROM_TO_FIELDS: Record<string, string> = {
  "member.role_changed": "role",
  "project.moved": "stage",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A recorded value as text: strings as they are, anything else as compact JSON. */
export const auditValueText = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));

const optionalText = (record: Record<string, unknown>, key: string) =>
  key in record && record[key] !== undefined ? auditValueText(record[key]) : undefined;

export function readAuditDetails(action: string, details: Record<string, unknown> | null): AuditDetailsView {
  const view: AuditDetailsView = { changed: [], newValues: [], facts: [] };
  if (!details) return view;
  const used = new Set<string>();
  const { before, after, changes } = details;
  if (isRecord(before) && isRecord(after)) {
    used.add("before").add("after");
    for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      const was = optionalText(before, field);
      const is = optionalText(after, field);
      if (was !== is) view.changed.push({ field, before: was, after: is });
    }
  }
  if ("from" in details && "to" in details && !isRecord(details.from) && !isRecord(details.to)) {
    used.add("from").add("to");
    view.changed.push({
      field: FROM_TO_FIELDS[action] ?? "value",
      before: optionalText(details, "from"),
      after: optionalText(details, "to"),
    });
  }
  if (isRecord(changes)) {
    used.add("changes");
    view.newValues = Object.entries(changes).map(([field, value]) => [field, auditValueText(value)]);
  }
  view.facts = Object.entries(details)
    .filter(([field]) => !used.has(field))
    .map(([field, value]) => [field, auditValueText(value)]);
  return view;
}
