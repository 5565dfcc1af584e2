// The inbox bell's state: the caller's newest in-app notifications and the unread count, changed by
// the API's answers (which carry the count as the API counts it) and by live `notification.new`
// frames (which do not: the bell counts those itself).
import type { InboxItem } from "@nexus/contracts";

export interface InboxState {
  items: InboxItem[];
  unread: number;
  nextCursor: string | null;
}

export const EMPTY_INBOX: InboxState = { items: [], unread: 0, nextCursor: null };

const newestFirst = (a: InboxItem, b: InboxItem) =>
  b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

/** The first page as the API answered it (a reload, after a reconnect say, replaces what was shown). */
export const inboxLoaded = (page: {
  items: InboxItem[];
  unread_count: number;
  next_cursor: string | null;
}): InboxState => ({
  items: [...page.items].sort(newestFirst),
  unread: page.unread_count,
  nextCursor: page.next_cursor,
});

/** A later page appended (items already shown are not repeated). */
export function inboxMore(
  state: InboxState,
  page: { items: InboxItem[]; unread_count: number; next_cursor: string | null },
): InboxState {
  const known = new Set(state.items.map((item) => item.id));
  return {
    items: [...state.items, ...page.items.filter((item) => !known.has(item.id))],
    unread: page.unread_count,
    nextCursor: page.next_cursor,
  };
}

/** A notification pushed live. The same one twice (a reload raced the frame) counts once. */
export function inboxArrived(state: InboxState, item: InboxItem): InboxState {
  if (item.archived_at || state.items.some((known) => known.id === item.id)) return state;
  return {
    ...state,
    items: [item, ...state.items].sort(newestFirst),
    unread: state.unread + (item.read_at ? 0 : 1),
  };
}

/** One item as the API answered a read, unread or archive, with its count. */
export function inboxChanged(state: InboxState, item: InboxItem, unreadCount: number): InboxState {
  return {
    ...state,
    items: item.archived_at
      ? state.items.filter((known) => known.id !== item.id)
      : state.items.map((known) => (known.id === item.id ? item : known)),
    unread: unreadCount,
  };
}

/** Every item read (the API's read-all), at `at`. */
export function inboxAllRead(state: InboxState, at: string, unreadCount: number): InboxState {
  return {
    ...state,
    items: state.items.map((item) => (item.read_at ? item : { ...item, read_at: at })),
    unread: unreadCount,
  };
}

/** The bell's accessible name: what a screen reader says before it is opened. */
export const bellLabel = (unread: number): string =>
  unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;

/** The badge's text: the count, capped so it fits the bell. */
export const badgeText = (unread: number): string => (unread > 99 ? "99+" : String(unread));
