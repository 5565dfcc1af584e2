import { env } from "cloudflare:workers";
import type { DeadLetterDetail } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { seed } from "./fixtures.ts";

describe("discarding dead letters", () => {
  it("discard marks a letter discarded once; it can then be neither replayed nor discarded", async () => {
    const [letter] = await seed();
    const discarded = await callAsOperator(`/api/admin/dead-letters/${letter?.id}/discard`, {
      method: "POST",
    });
    expect((await json<{ dead_letter: DeadLetterDetail }>(discarded)).dead_letter).toMatchObject({
      state: "discarded",
      resolved_by: "admin-secret",
    });
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${letter?.id}/discard`, { method: "POST" }),
      409,
      "DEAD_LETTER_RESOLVED",
    );
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${letter?.id}/replay`, { method: "POST" }),
      409,
      "DEAD_LETTER_RESOLVED",
    );
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${newId()}/discard`, { method: "POST" }),
      404,
      "NOT_FOUND",
    );
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'dead_letter.discarded'",
    ).all();
    expect(audit.results).toEqual([{ target_id: letter?.id }]);
  });
});
