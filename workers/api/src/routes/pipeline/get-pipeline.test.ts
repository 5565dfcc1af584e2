// The pipeline a company and each showroom type use, against the company's real tenant D1.
import { DEFAULT_PIPELINE } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { company } from "../projects/fixtures.ts";

describe("the pipeline", () => {
  it("exists for a new company as the default 13 stages, and each showroom type can have its own", async () => {
    const acme = await registerCompany();
    const pipeline = await json<{ stages: unknown[]; showroom_type: string | null }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline`),
    );
    expect(pipeline.showroom_type).toBeNull();
    expect(pipeline.stages).toEqual(DEFAULT_PIPELINE);
    expect(pipeline.stages).toHaveLength(13);

    const trade = [
      { key: "enquiry", name: "Trade enquiry" },
      {
        key: "order",
        name: "Order placed",
        requirements: [{ kind: "checklist", key: "po_received", label: "PO received" }],
      },
    ];
    const put = await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=trade`, {
      method: "PUT",
      body: { stages: trade },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const tradePipeline = await json<{ stages: { key: string }[] }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=trade`),
    );
    expect(tradePipeline.stages.map((s) => s.key)).toEqual(["enquiry", "order"]);
    // Retail still uses the default.
    const retail = await json<{ stages: unknown[] }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=retail`),
    );
    expect(retail.stages).toHaveLength(13);
  });
});
