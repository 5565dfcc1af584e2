// The `nexus` CLI against the real worker, for what its unit tests cover only against stand-ins:
// a release file large enough for several multipart parts, verified end to end through the feed,
// and creating the first platform operator.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { run } from "../packages/cli/src/cli.ts";
import { releasePublish } from "../packages/cli/src/commands/release-publish.ts";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

const PART_SIZE = 16 * 1024 * 1024;

let system: LocalSystem;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "nexus-e2e-publish-"));
  system = await startLocalSystem();
}, 180_000);

afterAll(async () => {
  await system?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("nexus release publish against the worker", { timeout: 120_000 }, () => {
  it("uploads a file of more than one part in parts, and the feed serves exactly its bytes", async () => {
    const bytes = randomBytes(PART_SIZE + 123_457);
    const name = "Nexus-Setup-3.0.0.exe";
    const sha512 = createHash("sha512").update(bytes).digest("base64");
    await writeFile(join(tmp, name), bytes);
    await writeFile(
      join(tmp, "latest.yml"),
      stringify({ version: "3.0.0", files: [{ url: name, sha512, size: bytes.length }], path: name, sha512 }),
    );
    const progress: string[] = [];
    const code = await releasePublish(
      {
        dir: tmp,
        channel: "stable",
        baseUrl: system.url.origin,
        adminSecret: system.adminSecret,
        singleUploadLimit: 1,
      },
      { fetch, stderr: { write: (text: string) => void progress.push(text) } },
    );
    expect(code, progress.join("")).toBe(0);
    expect(progress.join("")).toContain(`${name} (2 parts)`);

    const company = await system.registerCompany({ company_name: "Publish E2E" });
    const machine = await system.validateMachine({
      company_code: company.company_code,
      machine_id: "publish-e2e",
      hostname: "publish-e2e",
      app_version: "2.0.0",
    });
    const headers = { authorization: `Bearer ${machine.installation.token}` };
    const feed = (path: string, extra: Record<string, string> = {}) =>
      fetch(new URL(`/api/updates/${path}?company_code=${company.company_code}`, system.url), {
        headers: { ...headers, ...extra },
      });
    expect(await (await feed("latest.yml")).text()).toContain(`sha512: "${sha512}"`);
    // Across the part boundary.
    const ranged = await feed(name, { range: `bytes=${PART_SIZE - 10}-${PART_SIZE + 9}` });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(PART_SIZE - 10, PART_SIZE + 10));
    const full = await feed(name);
    expect(
      createHash("sha512")
        .update(Buffer.from(await full.arrayBuffer()))
        .digest("base64"),
    ).toBe(sha512);

    // Running it again finds the release published and uploads nothing.
    const again: string[] = [];
    expect(
      await releasePublish(
        { dir: tmp, channel: "stable", baseUrl: system.url.origin, adminSecret: system.adminSecret },
        { fetch, stderr: { write: (text: string) => void again.push(text) } },
      ),
    ).toBe(0);
    expect(again.join("")).toContain("already published");
  });

  it("creates the first operator with the operator secret, who signs in and reaches operator routes", async () => {
    const output: string[] = [];
    const sink = { write: (text: string) => void output.push(text) };
    const argv = [
      "admin",
      "create",
      "--email",
      "first.ops@example.com",
      "--url",
      system.url.origin,
      "--admin-secret",
      system.adminSecret,
    ];
    const deps = { env: {}, cwd: tmp, stdout: sink, stderr: sink, fetch };
    expect(await run([...argv, "--password", "short"], deps)).not.toBe(0);
    expect(output.join("")).toContain("VALIDATION_FAILED");
    expect(await run(argv, { ...deps, env: { NEXUS_OPERATOR_PASSWORD: "a long operator password" } })).toBe(
      0,
    );
    expect(output.join("")).toContain("Created operator first.ops@example.com");

    const signIn = await fetch(new URL("/api/auth/sign-in/email", system.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: system.url.origin },
      body: JSON.stringify({ email: "first.ops@example.com", password: "a long operator password" }),
    });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const operators = await fetch(new URL("/api/admin/operators", system.url), { headers: { cookie } });
    expect(operators.status).toBe(200);
  });
});
