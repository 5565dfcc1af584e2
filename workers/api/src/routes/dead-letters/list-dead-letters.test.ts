// Operators list dead letters with filters; nobody else may touch them.
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { deadLetter, list, samples, seed } from "./fixtures.ts";

describe("listing dead letters", () => {
  it("list newest first without bodies, filtered by queue, kind, company and time, page by page", async () => {
    const all = await seed();
    expect(all).toHaveLength(4);
    expect(all[0]).toMatchObject({ state: "pending", attempts: 6, resolved_at: null });
    expect(all[0]).not.toHaveProperty("body");
    expect(all.every((letter) => letter.body_bytes > 10)).toBe(true);

    const telemetry = await list("?queue=nexus-telemetry-dlq");
    expect(telemetry.dead_letters.map((letter) => letter.original_queue)).toEqual([
      "nexus-telemetry",
      "nexus-telemetry",
    ]);
    expect((await list("?kind=delivery")).dead_letters).toMatchObject([
      {
        kind: "delivery",
        company_id: "company-a",
        queue: "nexus-events-dlq",
        original_queue: "nexus-events",
      },
    ]);
    expect((await list("?company_id=company-a")).dead_letters.map((letter) => letter.kind).sort()).toEqual([
      "delivery",
      "samples",
    ]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list(`?since=${future}`)).dead_letters).toEqual([]);
    expect((await list(`?until=${future}`)).dead_letters).toHaveLength(4);

    const first = await list("?limit=3");
    expect(first.dead_letters).toHaveLength(3);
    const rest = await list(`?limit=3&cursor=${first.next_cursor}`);
    expect(rest).toMatchObject({ next_cursor: null });
    expect([...first.dead_letters, ...rest.dead_letters].map((letter) => letter.id)).toEqual(
      all.map((letter) => letter.id),
    );
    await expectError(
      await callAsOperator("/api/admin/dead-letters?since=yesterday"),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("answer 401 without a credential and 403 to a company's own owner, even for its own dead letters", async () => {
    const company = await registerCompany({ admin_email: "owner@dead.example" });
    await deadLetter("nexus-telemetry-dlq", [samples(company.company_id, "k:own")]);
    const [letter] = (await list()).dead_letters;
    const owner = await companyOwner(company.company_id, "owner@dead.example");
    for (const [method, path] of [
      ["GET", "/api/admin/dead-letters"],
      ["GET", `/api/admin/dead-letters/${letter?.id}`],
      ["POST", `/api/admin/dead-letters/${letter?.id}/replay`],
      ["POST", `/api/admin/dead-letters/${letter?.id}/discard`],
    ] as const) {
      await expectError(await call(path, { method }), 401, "UNAUTHORIZED");
      await expectError(await call(path, { method, headers: { cookie: owner } }), 403, "FORBIDDEN");
    }
    await expectError(
      await call("/api/admin/dead-letters/replay", {
        body: { ids: [letter?.id] },
        headers: { cookie: owner },
      }),
      403,
      "FORBIDDEN",
    );
    expect((await list("?state=pending")).dead_letters).toHaveLength(1);
  });
});
