import { describe, expect, it } from "vitest";
import type { Member } from "../../lib/members.ts";
import {
  hasNotificationFilters,
  notificationFiltersFrom,
  notificationFiltersQuery,
  recipientKeyOf,
  recipientLabel,
  recipientText,
} from "./notifications-filters.ts";

const ANNA: Member = {
  id: "m1",
  user_id: "u_anna",
  email: "Anna@Example.com",
  name: "Anna Planner",
  role: "admin",
  created_at: "2026-12-01T00:00:00.000Z",
};

describe("notification history filters in the address", () => {
  it("reads the filters the API knows and drops the rest", () => {
    expect(
      notificationFiltersFrom(
        "?status=bounced&channel=email&recipient=user%3Au_anna&workflow=project.assigned&from=2026-12-01T00:00:00.000Z&to=2026-12-02T00:00:00.000Z",
      ),
    ).toEqual({
      status: "bounced",
      channel: "email",
      recipient: "user:u_anna",
      workflow: "project.assigned",
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-02T00:00:00.000Z",
    });
    expect(
      notificationFiltersFrom(
        `?status=lost&channel=fax&workflow=Project%20Assigned&from=yesterday&recipient=${"x".repeat(301)}`,
      ),
    ).toEqual({});
  });

  it("writes them back, and nothing when there are none", () => {
    const filters = {
      status: "not_sent",
      recipient: "email:a@b.example",
      workflow: "member.invited",
    } as const;
    const query = notificationFiltersQuery(filters);
    expect(query).toBe("?status=not_sent&recipient=email%3Aa%40b.example&workflow=member.invited");
    expect(notificationFiltersFrom(query)).toEqual(filters);
    expect(notificationFiltersQuery({})).toBe("");
    expect(hasNotificationFilters({})).toBe(false);
    expect(hasNotificationFilters({ channel: "sms" })).toBe(true);
  });
});

describe("recipients as people type and read them", () => {
  it("turns a member's email or name into the member, other text into its key", () => {
    expect(recipientKeyOf(" anna@example.com ", [ANNA])).toBe("user:u_anna");
    expect(recipientKeyOf("anna planner", [ANNA])).toBe("user:u_anna");
    expect(recipientKeyOf("Someone@Else.example", [ANNA])).toBe("email:someone@else.example");
    expect(recipientKeyOf("+49 (30) 123-456", [ANNA])).toBe("phone:+4930123456");
    expect(recipientKeyOf("phone:+4930123456", [ANNA])).toBe("phone:+4930123456");
    expect(recipientKeyOf("  ", [ANNA])).toBeUndefined();
  });

  it("names a key, and writes the text that reads back to it", () => {
    const names = new Map([["u_anna", "Anna Planner"]]);
    expect(recipientLabel("user:u_anna", names)).toBe("Anna Planner");
    expect(recipientLabel("user:u_gone", names)).toBe("User u_gone");
    expect(recipientLabel("email:a@b.example", names)).toBe("a@b.example");
    expect(recipientLabel("phone:+4930123456", names)).toBe("+4930123456");
    for (const key of ["user:u_anna", "email:a@b.example", "phone:+4930123456"]) {
      expect(recipientKeyOf(recipientText(key, [ANNA]), [ANNA])).toBe(key);
    }
    expect(recipientText(undefined, [ANNA])).toBe("");
  });
});
