import type { InboxItem } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  badgeText,
  bellLabel,
  EMPTY_INBOX,
  inboxAllRead,
  inboxArrived,
  inboxChanged,
  inboxLoaded,
  inboxMore,
} from "./inbox.ts";

const item = (id: string, minute: number, read = false): InboxItem => ({
  id,
  workflow: "project.assigned",
  category: "projects",
  subject: `Subject ${id}`,
  body: `Body ${id}`,
  data: {},
  created_at: `2026-12-07T10:${String(minute).padStart(2, "0")}:00.000Z`,
  read_at: read ? "2026-12-07T11:00:00.000Z" : null,
  archived_at: null,
});

describe("the inbox bell's state", () => {
  it("takes the API's first page and count, newest first", () => {
    const state = inboxLoaded({
      items: [item("a", 1), item("b", 2, true)],
      unread_count: 1,
      next_cursor: "c1",
    });
    expect(state.items.map((entry) => entry.id)).toEqual(["b", "a"]);
    expect(state.unread).toBe(1);
    expect(state.nextCursor).toBe("c1");
  });

  it("counts a live notification once, even if it arrives twice or was already loaded", () => {
    const loaded = inboxLoaded({ items: [item("a", 1)], unread_count: 1, next_cursor: null });
    const arrived = inboxArrived(loaded, item("n", 5));
    expect(arrived.unread).toBe(2);
    expect(arrived.items[0]?.id).toBe("n");
    expect(inboxArrived(arrived, item("n", 5))).toBe(arrived);
    expect(inboxArrived(arrived, item("a", 1))).toBe(arrived);
    // An item read elsewhere before it got here does not add to the count.
    expect(inboxArrived(EMPTY_INBOX, item("r", 3, true)).unread).toBe(0);
  });

  it("follows the API's count on read, unread, archive and read-all", () => {
    const state = inboxLoaded({ items: [item("a", 1), item("b", 2)], unread_count: 2, next_cursor: null });
    const read = inboxChanged(state, item("a", 1, true), 1);
    expect(read.unread).toBe(1);
    expect(read.items.find((entry) => entry.id === "a")?.read_at).not.toBeNull();
    const archived = inboxChanged(read, { ...item("b", 2), archived_at: "2026-12-07T12:00:00.000Z" }, 0);
    expect(archived.items.map((entry) => entry.id)).toEqual(["a"]);
    const all = inboxAllRead(state, "2026-12-07T12:00:00.000Z", 0);
    expect(all.unread).toBe(0);
    expect(all.items.every((entry) => entry.read_at !== null)).toBe(true);
  });

  it("appends later pages without repeating a live arrival", () => {
    const state = inboxArrived(
      inboxLoaded({ items: [item("b", 2)], unread_count: 1, next_cursor: "c" }),
      item("a", 1),
    );
    const more = inboxMore(state, {
      items: [item("a", 1), item("z", 0)],
      unread_count: 3,
      next_cursor: null,
    });
    expect(more.items.map((entry) => entry.id)).toEqual(["b", "a", "z"]);
    expect(more.unread).toBe(3);
    expect(more.nextCursor).toBeNull();
  });

  it("names the bell and caps its badge", () => {
    expect(bellLabel(0)).toBe("Notifications, none unread");
    expect(bellLabel(3)).toBe("Notifications, 3 unread");
    expect(badgeText(7)).toBe("7");
    expect(badgeText(120)).toBe("99+");
  });
});
