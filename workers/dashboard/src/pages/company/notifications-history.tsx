// The notification history: every message the company's workflows made (one per recipient and
// channel), newest first, filtered by the API (status, channel, recipient, workflow, time range; the
// filters live in the address). A row opens the message with every provider attempt. While messages
// on the first page are still moving (queued, sent), it is read again every few seconds.
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  type NotificationMessage,
  type NotificationWorkflow,
  routes,
} from "@nexus/contracts";
import { type ReactNode, useCallback, useId, useState } from "react";
import { FilterSelect, TextField } from "../../components/field.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { columnHeaders } from "../../components/row-details.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { fromLocalInput, rangeProblem, toLocalInput } from "../../lib/audit-range.ts";
import type { Member } from "../../lib/members.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useNow } from "../../lib/timing.ts";
import { usePagedList, useRefreshWhile } from "../../lib/use-paged-list.ts";
import {
  hasNotificationFilters,
  type NotificationFilters,
  notificationFiltersFrom,
  notificationFiltersQuery,
  recipientKeyOf,
  recipientText,
} from "./notifications-filters.ts";
import { CHANNEL_LABELS, MESSAGE_COLUMNS, MessageRows, STATUS_LABELS } from "./notifications-message.tsx";

const PAGE_SIZE = 25;
const REFRESH_MS = 3_000;

export function NotificationHistory({
  companyId,
  workflows,
  members,
}: {
  companyId: string;
  /** For the workflow filter; empty while loading. */
  workflows: readonly NotificationWorkflow[];
  /** To name recipients and to find a member by email; empty when they cannot be listed. */
  members: readonly Member[];
}) {
  const id = useId();
  const [path = "", search = ""] = useLocation().split("?");
  const filters = notificationFiltersFrom(search);
  const query = notificationFiltersQuery(filters);
  const filtered = hasNotificationFilters(filters);
  const now = useNow();
  const [openId, setOpenId] = useState<string | null>(null);
  const names = new Map(members.map((member) => [member.user_id, member.name || member.email]));

  const show = (next: NotificationFilters) => navigate(`${path}${notificationFiltersQuery(next)}`);

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listNotificationMessages, {
          params: { companyId },
          query: { ...notificationFiltersFrom(query), limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.messages, nextCursor: page.next_cursor };
      },
      [companyId, query],
    ),
  );

  // Queued and sent messages still change (retries, provider webhooks): follow them while only the
  // first page is open (a reload would fold the others away under the reader).
  const { reload, data: firstPage, loading } = list;
  const moving = firstPage?.items.some((message) => message.status === "queued" || message.status === "sent");
  const onlyFirstPage = list.items.length === (firstPage?.items.length ?? 0);
  useRefreshWhile(moving === true && onlyFirstPage, loading, reload, REFRESH_MS);

  const clearFilters = (
    <button type="button" className="button button-quiet" onClick={() => show({})}>
      Clear filters
    </button>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h2 id={`${id}-heading`}>Sent notifications</h2>
        <button
          type="button"
          className="button button-quiet panel-action"
          onClick={reload}
          disabled={loading}
        >
          {loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {/* Keyed by the address: going back in history shows that page's filters in the form. */}
      <HistoryFilterForm
        key={query}
        filters={filters}
        workflows={workflows}
        members={members}
        onApply={show}
        clear={filtered ? clearFilters : null}
      />
      <PagedTable
        list={list}
        caption={`Notifications${filtered ? " matching the filters" : ""}, newest first`}
        loading="Loading notifications…"
        columns={columnHeaders(MESSAGE_COLUMNS)}
        empty={
          <EmptyState title={filtered ? "No notification matches these filters" : "No notifications yet"}>
            {filtered ? (
              clearFilters
            ) : (
              <p>Every message the company's workflows send appears here, one per recipient and channel.</p>
            )}
          </EmptyState>
        }
        row={(message: NotificationMessage) => (
          <MessageRows
            key={message.id}
            companyId={companyId}
            message={message}
            names={names}
            now={now}
            open={openId === message.id}
            onToggle={() => setOpenId(openId === message.id ? null : message.id)}
          />
        )}
      />
    </section>
  );
}

/**
 * The filter form. Selects apply at once; the recipient and the time range when the form is
 * submitted (typing should not send a request per key).
 */
function HistoryFilterForm({
  filters,
  workflows,
  members,
  onApply,
  clear,
}: {
  filters: NotificationFilters;
  workflows: readonly NotificationWorkflow[];
  members: readonly Member[];
  onApply: (filters: NotificationFilters) => void;
  clear: ReactNode;
}) {
  const [recipient, setRecipient] = useState(() => recipientText(filters.recipient, members));
  const [from, setFrom] = useState(filters.from ?? "");
  const [to, setTo] = useState(filters.to ?? "");
  const [problem, setProblem] = useState<string>();
  const membersId = useId();
  const problemId = useId();

  const apply = (next: NotificationFilters) => {
    const refused = rangeProblem(next.from ?? "", next.to ?? "");
    setProblem(refused);
    if (!refused) onApply(next);
  };
  const withTyped = (): NotificationFilters => ({
    ...filters,
    recipient: recipientKeyOf(recipient, members),
    from: from || undefined,
    to: to || undefined,
  });

  return (
    <search>
      <form
        className="filters notification-filters"
        aria-label="Filter the notifications"
        onSubmit={(event) => {
          event.preventDefault();
          apply(withTyped());
        }}
      >
        <FilterSelect
          label="Status"
          value={filters.status}
          options={NOTIFICATION_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
          onChange={(value) =>
            apply({ ...withTyped(), status: NOTIFICATION_STATUSES.find((known) => known === value) })
          }
        />
        <FilterSelect
          label="Channel"
          value={filters.channel}
          options={NOTIFICATION_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }))}
          onChange={(value) =>
            apply({ ...withTyped(), channel: NOTIFICATION_CHANNELS.find((known) => known === value) })
          }
        />
        <FilterSelect
          label="Workflow"
          value={filters.workflow}
          options={workflows.map((workflow) => ({ value: workflow.key, label: workflow.name }))}
          onChange={(value) => apply({ ...withTyped(), workflow: value })}
        />
        <TextField
          label="Recipient"
          value={recipient}
          list={membersId}
          placeholder="member, email or +phone"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setRecipient(event.target.value)}
        />
        <datalist id={membersId}>
          {members.map((member) => (
            <option key={member.user_id} value={member.email}>
              {member.name}
            </option>
          ))}
        </datalist>
        {(
          [
            ["From", from, setFrom],
            ["To", to, setTo],
          ] as const
        ).map(([label, value, set]) => (
          <TextField
            key={label}
            label={label}
            type="datetime-local"
            value={toLocalInput(value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            onChange={(event) => set(fromLocalInput(event.target.value))}
          />
        ))}
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        {clear}
        {problem && (
          <p className="form-error" id={problemId} role="alert">
            {problem}
          </p>
        )}
      </form>
    </search>
  );
}
