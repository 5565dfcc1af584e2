import { DEFAULT_PIPELINE, type PipelineStage, type Showroom } from "@nexus/contracts";
import { expect, it } from "vitest";
import { type CrmContext, onePipelineForAll, stagesFor } from "./data.ts";

const showroom = (id: string, type: string) => ({ id, type }) as Showroom;
const tradeStages: PipelineStage[] = [
  { key: "order", name: "Order", requirements: [], assignee_role: null },
  { key: "delivered", name: "Delivered", requirements: [], assignee_role: null },
];

it("gives each showroom its type's pipeline, else the default one", () => {
  const context: CrmContext = {
    showrooms: [showroom("leeds", "retail"), showroom("counter", "trade")],
    members: [],
    names: new Map(),
    defaultStages: DEFAULT_PIPELINE,
    ownStages: new Map([["trade", tradeStages]]),
  };
  expect(stagesFor(context, "counter")).toBe(tradeStages);
  expect(stagesFor(context, "leeds")).toBe(DEFAULT_PIPELINE);
  expect(stagesFor(context, undefined)).toBe(DEFAULT_PIPELINE);
  // One board cannot show both: the trade counter follows other stages.
  expect(onePipelineForAll(context)).toBe(false);
  expect(onePipelineForAll({ ...context, ownStages: new Map() })).toBe(true);
});
