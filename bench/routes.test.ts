import { describe, expect, it } from "vitest";
import { type BenchRoute, benchRoutes, type SeedContext, selectRoutes } from "./routes.ts";
import { testRoute as route } from "./test-routes.ts";

const known = [
  route("plain"),
  route("floor"),
  route("bytes", { bytesComparedWith: "floor" }),
  route("direct"),
  route("through", { comparedWith: "direct" }),
  route("both", { comparedWith: "direct", bytesComparedWith: "floor" }),
];
const names = (routes: readonly BenchRoute[]) => routes.map((r) => r.name);

describe("selectRoutes", () => {
  it("measures every route when none is named", () => {
    expect(names(selectRoutes([], known))).toEqual(names(known));
  });

  it("runs the route a route is compared with first, by req/s or by bytes", () => {
    expect(names(selectRoutes(["through"], known))).toEqual(["direct", "through"]);
    expect(names(selectRoutes(["bytes"], known))).toEqual(["floor", "bytes"]);
    expect(names(selectRoutes(["both"], known))).toEqual(["floor", "direct", "both"]);
  });

  it("measures each route once, in the order named", () => {
    expect(names(selectRoutes(["plain", "through", "direct", "both"], known))).toEqual([
      "plain",
      "direct",
      "through",
      "floor",
      "both",
    ]);
  });

  it("refuses an unknown route, and a comparison with one", () => {
    expect(() => selectRoutes(["nope"], known)).toThrow(/unknown route "nope"; known: plain, floor/);
    expect(() => selectRoutes(["broken"], [...known, route("broken", { comparedWith: "gone" })])).toThrow(
      /unknown route "gone"/,
    );
  });

  it("names only routes that exist among the bench's own", () => {
    for (const entry of benchRoutes) {
      expect(() => selectRoutes([entry.name])).not.toThrow();
    }
    expect(names(selectRoutes(["llm-gateway"]))).toEqual(["llm-direct", "llm-gateway"]);
  });
});

describe("the LLM routes", () => {
  const context = {
    llm: {
      apiKey: "nxk_bench",
      standInOrigin: "http://127.0.0.1:41234",
      openAiBaseUrl: "http://127.0.0.1:41234/openai/v1",
      openAiKey: "sk-stand-in-platform",
    },
  } as SeedContext;
  const api = "http://127.0.0.1:8787";
  const request = (name: string) => {
    const entry = benchRoutes.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no route ${name}`);
    return entry.request(context);
  };

  it("sends the same question, the gateway by alias and the stand-in by the alias's model", () => {
    const direct = request("llm-direct");
    const gateway = request("llm-gateway");
    expect(direct.body).toEqual({ ...(gateway.body as object), model: "gpt-4o-mini" });
    expect(gateway.body).toMatchObject({ model: "default" });
    expect(direct.headers).toEqual({ authorization: "Bearer sk-stand-in-platform" });
    expect(gateway.headers).toEqual({ authorization: "Bearer nxk_bench" });
  });

  it("calls the stand-in at its own origin and the gateway on the API (as run.ts resolves paths)", () => {
    expect(new URL(request("llm-direct").path, api).href).toBe(
      "http://127.0.0.1:41234/openai/v1/chat/completions",
    );
    expect(new URL(request("llm-gateway").path, api).href).toBe(`${api}/api/llm/v1/chat/completions`);
  });
});
