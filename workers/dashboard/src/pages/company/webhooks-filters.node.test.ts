import { describe, expect, it } from "vitest";
import { deliveryFiltersFrom, deliveryFiltersQuery, hasDeliveryFilters } from "./webhooks-filters.ts";

describe("delivery log filters in the address", () => {
  it("reads the filters the API knows", () => {
    expect(deliveryFiltersFrom("?endpoint_id=ep_1&status=failed&event_type=webhook.test")).toEqual({
      endpointId: "ep_1",
      status: "failed",
      eventType: "webhook.test",
    });
    expect(deliveryFiltersFrom("status=pending")).toEqual({ status: "pending" });
    expect(deliveryFiltersFrom("")).toEqual({});
  });

  it("drops values the API would refuse", () => {
    expect(
      deliveryFiltersFrom(`?endpoint_id=${"x".repeat(65)}&status=lost&event_type=installation.exploded`),
    ).toEqual({});
  });

  it("writes them back, and nothing when there are none", () => {
    const filters = { endpointId: "ep 1", status: "succeeded", eventType: "release.published" } as const;
    const query = deliveryFiltersQuery(filters);
    expect(query).toBe("?endpoint_id=ep+1&status=succeeded&event_type=release.published");
    expect(deliveryFiltersFrom(query)).toEqual(filters);
    expect(deliveryFiltersQuery({})).toBe("");
    expect(hasDeliveryFilters({})).toBe(false);
    expect(hasDeliveryFilters({ status: "failed" })).toBe(true);
  });
});
