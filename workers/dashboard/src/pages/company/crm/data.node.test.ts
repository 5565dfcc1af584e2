import { DEFAULT_PIPELINE, type PipelineStage, type Showroom } from "@nexus/contracts";
import { expect, it } from "vitest";
import { type CrmContext, mapLimited, onePipelineForAll, stagesFor } from "./data.ts";

it("runs at most `limit` tasks at a time and keeps the results in order", async () => {
  let running = 0;
  let most = 0;
  const results = await mapLimited([30, 5, 20, 1, 10], 2, async (delay) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, delay));
    running -= 1;
    return delay * 2;
  });
  expect(results).toEqual([60, 10, 40, 2, 20]);
  expect(most).toBe(2);
  expect(await mapLimited([], 3, async () => 1)).toEqual([]);
});

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
