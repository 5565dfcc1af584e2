import { operation } from "../../lib/operation.ts";
import { gatewayPolicy } from "../../services/llm/gateway.ts";

export const listLlmModels = operation("listLlmModels", async (c, { caller }) => {
  const policy = await gatewayPolicy(c.env, caller);
  const created = Math.floor(Date.parse(policy.updated_at ?? "2026-01-01T00:00:00Z") / 1000);
  return {
    object: "list" as const,
    data: policy.models.map((model) => ({
      id: model.name,
      object: "model" as const,
      created,
      owned_by: model.targets[0]?.provider ?? "nexus",
    })),
  };
});
