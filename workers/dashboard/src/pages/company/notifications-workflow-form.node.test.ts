import type { NotificationWorkflow } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { createBody, draftOf, emptyDraft, updateBody, withChannel } from "./notifications-workflow-form.ts";

const builtIn: NotificationWorkflow = {
  key: "project.assigned",
  name: "Project assigned",
  category: "projects",
  critical: false,
  channels: ["email", "push", "in_app"],
  digest_minutes: null,
  built_in: true,
  overridden: false,
  created_at: null,
  updated_at: null,
};

describe("the workflow form", () => {
  it("makes the create body, with an empty digest as none", () => {
    const draft = {
      ...emptyDraft(),
      key: " orders.shipped ",
      name: "Order shipped",
      category: "orders",
      channels: withChannel(["in_app"], "email", true),
      digest: "",
    };
    expect(createBody(draft)).toEqual({
      ok: true,
      body: {
        key: "orders.shipped",
        name: "Order shipped",
        category: "orders",
        critical: false,
        channels: ["email", "in_app"],
        digest_minutes: null,
      },
    });
    expect(createBody({ ...draft, digest: "30" })).toMatchObject({ ok: true, body: { digest_minutes: 30 } });
  });

  it("puts each refusal at its field", () => {
    const result = createBody({
      ...emptyDraft(),
      key: "Bad Key",
      name: " ",
      category: "Orders!",
      channels: [],
      digest: "2.5",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.problems).sort()).toEqual(["category", "channels", "digest", "key", "name"]);
    expect(result.problems.channels).toBe("Choose at least one channel");
    expect(
      createBody({ ...emptyDraft(), key: "a", name: "A", category: "x", digest: "20000" }),
    ).toMatchObject({
      ok: false,
      problems: { digest: expect.stringContaining("10080") },
    });
  });

  it("patches only what changed, in the platform's channel order", () => {
    const draft = draftOf(builtIn);
    expect(updateBody(builtIn, draft)).toEqual({ ok: true, body: {} });
    const changed = {
      ...draft,
      critical: true,
      channels: withChannel(withChannel(draft.channels, "push", false), "sms", true),
      digest: "15",
    };
    expect(changed.channels).toEqual(["email", "sms", "in_app"]);
    expect(updateBody(builtIn, changed)).toEqual({
      ok: true,
      body: { critical: true, channels: ["email", "sms", "in_app"], digest_minutes: 15 },
    });
    // Clearing a digest sends null; the same channels in another order are no change.
    expect(
      updateBody(
        { ...builtIn, digest_minutes: 15, channels: ["in_app", "email"] },
        {
          ...draft,
          channels: ["email", "in_app"],
          digest: "",
        },
      ),
    ).toEqual({ ok: true, body: { digest_minutes: null } });
  });
});
