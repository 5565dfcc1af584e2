import type { DeadLetterDetail } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { seed } from "./fixtures.ts";

describe("one dead letter", () => {
  it("show one with its body", async () => {
    const all = await seed();
    const delivery = all.find((letter) => letter.kind === "delivery");
    const response = await callAsOperator(`/api/admin/dead-letters/${delivery?.id}`);
    expect((await json<{ dead_letter: DeadLetterDetail }>(response)).dead_letter).toMatchObject({
      id: delivery?.id,
      body: { kind: "delivery", delivery_id: "del-1", company_id: "company-a" },
    });
    await expectError(await callAsOperator(`/api/admin/dead-letters/${newId()}`), 404, "NOT_FOUND");
  });
});
