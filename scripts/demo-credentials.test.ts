import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type DemoCredentials, writeDemoCredentials } from "./demo-credentials.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("writeDemoCredentials", () => {
  it("writes the demo's credentials as JSON only its owner can read, creating the folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "nexus-demo-"));
    dirs.push(dir);
    const path = join(dir, ".wrangler", "demo.json");
    const credentials: DemoCredentials = {
      ready_at: "2026-12-06T00:00:00.000Z",
      api_url: "http://127.0.0.1:8787",
      dashboard_url: "http://127.0.0.1:8788",
      docs_url: "http://127.0.0.1:8787/docs",
      openapi_url: "http://127.0.0.1:8787/openapi.json",
      operator: { authorization: "Bearer secret", login: { email: "op@x", password: "p" } },
      operator_secret: "secret",
      company_id: "c1",
      company_code: "DEM-000001",
      api_key: "nxk_demo",
      llm_base_url: "http://127.0.0.1:8787/api/llm/v1",
      llm_model: "default",
      sentry_dsn: "http://0123456789abcdef0123456789abcdef@127.0.0.1:8787/1",
      company: { id: "c1", name: "Demo", code: "DEM-000001", seats: 50 },
      owner: { email: "o@x", password: "q" },
      installation: { machine_id: "m", installation_secret: "s", token: "t", token_note: "an hour" },
      update_feed_url: "http://127.0.0.1:8787/api/updates?company_code=DEM-000001",
      releases: ["1.4.2"],
    };
    writeDemoCredentials(path, credentials);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(credentials);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
