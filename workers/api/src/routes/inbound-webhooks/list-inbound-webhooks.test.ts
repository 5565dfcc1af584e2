// Operators list inbound webhooks with their processing state; nobody else may.
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { type EventList, receive, setState } from "./fixtures.ts";

describe("inbound webhooks for operators", () => {
  it("lists events newest first with their state, filtered by provider and state, page by page", async () => {
    for (const id of ["msg_a", "msg_b", "msg_c"]) await receive(id);
    await setState("msg_b", "failed", 8);

    const all = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"));
    expect(all.events.map((event) => event.event_id)).toEqual(["msg_c", "msg_b", "msg_a"]);
    expect(all.events[0]).toMatchObject({
      provider: "docusign",
      event_type: "envelope.completed",
      state: "queued",
      attempts: 1,
      processed_at: null,
    });
    expect(all.events[0]?.payload_bytes).toBeGreaterThan(40);

    const failed = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?state=failed"));
    expect(failed.events).toMatchObject([
      { event_id: "msg_b", state: "failed", last_error: "gave up after 8 attempts" },
    ]);
    const none = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?provider=stripe"));
    expect(none.events).toEqual([]);

    const first = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?limit=2"));
    expect(first.events.map((event) => event.event_id)).toEqual(["msg_c", "msg_b"]);
    const second = await json<EventList>(
      await callAsOperator(`/api/admin/inbound-webhooks?limit=2&cursor=${first.next_cursor}`),
    );
    expect(second).toMatchObject({ events: [{ event_id: "msg_a" }], next_cursor: null });

    await expectError(
      await callAsOperator("/api/admin/inbound-webhooks?state=lost"),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("answers 401 without a credential and 403 to a company's own owner", async () => {
    await receive("msg_private");
    const [row] = (await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"))).events;
    await expectError(await call("/api/admin/inbound-webhooks"), 401, "UNAUTHORIZED");
    await expectError(
      await call(`/api/admin/inbound-webhooks/${row?.id}/replay`, { method: "POST" }),
      401,
      "UNAUTHORIZED",
    );
    const company = await registerCompany({ admin_email: "owner@inbound.example" });
    const owner = await companyOwner(company.company_id, "owner@inbound.example");
    await expectError(
      await call("/api/admin/inbound-webhooks", { headers: { cookie: owner } }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await call(`/api/admin/inbound-webhooks/${row?.id}/replay`, {
        method: "POST",
        headers: { cookie: owner },
      }),
      403,
      "FORBIDDEN",
    );
  });
});
