// The inbox bell in a company's header: the signed-in person's in-app notifications with the unread
// count, kept current by the company's live channel (`notification.new`) and read again after a
// reconnect (frames sent while it was down are lost). The panel opens below the bell: mark one read
// or unread, archive it, or mark all read. Operators have no inbox in a company: no bell for them.
import "../../styles/notifications.css";
import { NexusApiError } from "@nexus/client/errors";
import { type InboxItem, routes, type ServerMessage } from "@nexus/contracts";
import { type FocusEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { Link } from "../../components/link.tsx";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useCompanyLive } from "../../lib/company-live.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import {
  badgeText,
  bellLabel,
  EMPTY_INBOX,
  type InboxState,
  inboxAllRead,
  inboxArrived,
  inboxChanged,
  inboxLoaded,
  inboxMore,
} from "../../lib/inbox.ts";
import { useNow } from "../../lib/timing.ts";
import { useAction } from "../../lib/use-action.ts";
import { companyPath } from "./section.ts";

const PAGE_SIZE = 20;

type ItemChange = "read" | "unread" | "archive";
const CHANGE_ROUTES = {
  read: routes.markInboxItemRead,
  unread: routes.markInboxItemUnread,
  archive: routes.archiveInboxItem,
} as const;

export function InboxBell({ companyId }: { companyId: string }) {
  const [inbox, setInbox] = useState<InboxState>(EMPTY_INBOX);
  const [loadError, setLoadError] = useState<unknown>();
  const [absent, setAbsent] = useState(false);
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const now = useNow();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const page = await callApi(routes.listInbox, {
          params: { companyId },
          query: { limit: PAGE_SIZE },
          signal,
        });
        setInbox(inboxLoaded(page));
        setLoadError(undefined);
      } catch (error) {
        if (signal?.aborted) return;
        // Operators (and API keys) have no inbox in a company: the API says so with 403.
        if (error instanceof NexusApiError && error.status === 403) setAbsent(true);
        else setLoadError(error);
      }
    },
    [companyId],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const onLive = useCallback((message: ServerMessage) => {
    if (message.type !== "notification.new") return;
    const item = message.notification;
    setInbox((previous) => inboxArrived(previous, item));
    setAnnouncement(`New notification: ${item.subject ?? item.body}`);
  }, []);
  const { state: live } = useCompanyLive(onLive);
  // After a reconnect, read the inbox again: what arrived meanwhile came on no socket.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (live !== "open") return;
    if (wasOpen.current) void load();
    wasOpen.current = true;
  }, [live, load]);

  const change = useAction(
    useCallback(
      async (item: InboxItem, what: ItemChange) => {
        const answer = await callApi(CHANGE_ROUTES[what], { params: { companyId, messageId: item.id } });
        setInbox((previous) => inboxChanged(previous, answer.item, answer.unread_count));
      },
      [companyId],
    ),
  );
  const readAll = useAction(
    useCallback(async () => {
      const answer = await callApi(routes.markInboxRead, { params: { companyId } });
      setInbox((previous) => inboxAllRead(previous, new Date().toISOString(), answer.unread_count));
    }, [companyId]),
  );
  const more = useAction(
    useCallback(async () => {
      const page = await callApi(routes.listInbox, {
        params: { companyId },
        query: { limit: PAGE_SIZE, cursor: inbox.nextCursor ?? undefined },
      });
      setInbox((previous) => inboxMore(previous, page));
    }, [companyId, inbox.nextCursor]),
  );

  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  // A press outside the bell and its panel closes it. (Not on blur alone: focus also leaves when a
  // pressed button goes away, as an archived item's does, and the panel should stay open then.)
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const pressed = (event: PointerEvent) => {
      if (event.target instanceof Node && !wrapper.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", pressed);
    return () => document.removeEventListener("pointerdown", pressed);
  }, [open]);

  if (absent) return null;

  // Buttons in the panel are never `disabled` while a call runs: a disabled button loses focus (and
  // useAction already ignores a second press).
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  // Tabbing out of the panel closes it too.
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (open && event.relatedTarget && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
  };
  // An archived item's button is gone: focus the panel's heading rather than losing it to the page.
  const archive = async (item: InboxItem) => {
    await change.run(item, "archive");
    heading.current?.focus();
  };
  const actionError = change.error ?? readAll.error ?? more.error;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere inside the panel closes it, as in a menu.
    <div
      ref={wrapper}
      className="inbox-bell"
      onBlur={onBlur}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.preventDefault();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="button button-quiet inbox-bell-button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={bellLabel(inbox.unread)}
        onClick={() => setOpen(!open)}
      >
        <BellIcon />
        {inbox.unread > 0 && (
          <span className="inbox-bell-count" aria-hidden="true">
            {badgeText(inbox.unread)}
          </span>
        )}
      </button>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <div
        id={`${id}-panel`}
        className="inbox-panel"
        role="dialog"
        aria-labelledby={`${id}-heading`}
        hidden={!open}
      >
        <div className="inbox-panel-header">
          <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
            Notifications
          </h2>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              if (inbox.unread > 0) void readAll.run();
            }}
            aria-disabled={readAll.pending || inbox.unread === 0}
          >
            Mark all read
          </button>
        </div>
        {loadError !== undefined ? (
          <ErrorState error={loadError} onRetry={() => void load()} />
        ) : inbox.items.length === 0 ? (
          <p className="muted small inbox-empty">
            Nothing here yet. Notifications for you appear here as they come.
          </p>
        ) : (
          <ul className="inbox-items" aria-label="Your notifications">
            {inbox.items.map((item) => (
              <li key={item.id} className={item.read_at ? "inbox-item" : "inbox-item inbox-item-unread"}>
                <div className="inbox-item-text">
                  <p className="inbox-item-subject">
                    {!item.read_at && <span className="visually-hidden">Unread: </span>}
                    {item.subject ?? item.workflow}
                  </p>
                  <p className="small">{item.body}</p>
                  <p className="muted small">
                    <time dateTime={item.created_at} title={formatDateTime(item.created_at)}>
                      {timeAgo(item.created_at, now)}
                    </time>
                  </p>
                </div>
                <div className="inbox-item-actions">
                  {/* Labelled with the notification: a list of "Mark read" buttons says nothing on its own. */}
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    aria-label={`${item.read_at ? "Mark unread" : "Mark read"}: ${item.subject ?? item.workflow}`}
                    onClick={() => void change.run(item, item.read_at ? "unread" : "read")}
                  >
                    {item.read_at ? "Mark unread" : "Mark read"}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    aria-label={`Archive: ${item.subject ?? item.workflow}`}
                    onClick={() => void archive(item)}
                  >
                    Archive
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {actionError !== undefined && <ErrorState error={actionError} />}
        <div className="inbox-panel-footer">
          {inbox.nextCursor && (
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => void more.run()}
              aria-disabled={more.pending}
            >
              {more.pending ? "Loading…" : "Load more"}
            </button>
          )}
          <Link href={companyPath(companyId, "notifications", "preferences")} onClick={() => setOpen(false)}>
            Notification preferences
          </Link>
        </div>
      </div>
    </div>
  );
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}
