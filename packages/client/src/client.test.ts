import { env } from "cloudflare:workers";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  answer,
  BASE_URL,
  companyInput,
  errorEnvelope,
  rejection,
  scriptedFetch,
  testClient,
  toWorker,
} from "../test/harness.ts";
import {
  createNexusClient,
  type HeartbeatResponse,
  type InstallationSecretStore,
  memoryInstallationSecretStore,
  NexusApiError,
  NexusResponseError,
  type RegisterResponse,
  type TelemetryIngestResponse,
  type ValidateResponse,
} from "./index.ts";

async function listCompanies(): Promise<{ company_id: string }[]> {
  const response = await toWorker(`${BASE_URL}/api/admin/companies`, {
    headers: { authorization: `Bearer ${env.NEXUS_ADMIN_SECRET}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { companies: { id: string }[] };
  return body.companies.map((company) => ({ company_id: company.id }));
}

describe("createNexusClient against the real API", () => {
  it("registers, validates and heartbeats with typed results", async () => {
    const { fetch, sent } = scriptedFetch();
    const client = testClient(fetch, { userAgent: "NexusDesktop/1.2.0" });

    const company = await client.register(companyInput());
    expectTypeOf(company).toEqualTypeOf<RegisterResponse>();
    expect(company.company_code).toMatch(/^CLI-[0-9A-Z]{6}$/);
    expect(company.database_config.provider).toBe("d1");

    const joined = await client.validate({
      company_code: company.company_code.toLowerCase(),
      machine_id: "machine-1",
      hostname: "DESKTOP-1",
      app_version: "1.2.0",
    });
    expectTypeOf(joined).toEqualTypeOf<ValidateResponse>();
    expect(joined.company_id).toBe(company.company_id);
    expect(joined.installation.token.split(".")).toHaveLength(3);

    const beat = await client.heartbeat(
      { company_code: company.company_code, machine_id: "machine-1", app_version: "1.2.0" },
      joined.installation.token,
    );
    expectTypeOf(beat).toEqualTypeOf<HeartbeatResponse>();
    expect(beat).toEqual({
      success: true,
      force_update: false,
      settings_changed: false,
      settings_version: 1,
    });

    expect(sent.map((request) => request.url)).toEqual([
      `${BASE_URL}/api/company/register`,
      `${BASE_URL}/api/company/validate`,
      `${BASE_URL}/api/company/heartbeat`,
    ]);
    const [register, validate, heartbeat] = sent;
    expect(register?.headers.get("authorization")).toBe(`Bearer ${env.NEXUS_ADMIN_SECRET}`);
    expect(validate?.headers.get("authorization")).toBeNull();
    expect(heartbeat?.headers.get("authorization")).toBe(`Bearer ${joined.installation.token}`);
    expect(heartbeat?.headers.get("user-agent")).toBe("NexusDesktop/1.2.0");
  });

  it("keeps a path prefix of baseUrl and ignores a trailing slash", async () => {
    const { fetch, sent } = scriptedFetch(answer(200, { status: "ok" }));
    const client = createNexusClient({ baseUrl: "https://edge.example/nexus/", fetch });
    const error = await rejection(client.validate({ company_code: "ABC", machine_id: "m", hostname: "h" }));
    expect(error).toBeInstanceOf(NexusResponseError);
    expect(sent[0]?.url).toBe("https://edge.example/nexus/api/company/validate");
    expect(() => createNexusClient({ baseUrl: "/relative" })).toThrow(TypeError);
  });

  it("throws NexusApiError for an unknown company code, without retrying", async () => {
    const { fetch, sent } = scriptedFetch();
    const error = await rejection(
      testClient(fetch).validate({ company_code: "NOP-222222", machine_id: "m", hostname: "h" }),
    );
    expect(error).toBeInstanceOf(NexusApiError);
    if (!(error instanceof NexusApiError)) return;
    expect(error.status).toBe(404);
    expect(error.code).toBe("COMPANY_NOT_FOUND");
    expect(error.message).toContain("NOP-222222");
    expect(error.requestId).toMatch(/\S{8,}/);
    expect(error.shouldRevalidate).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it("tells the app to revalidate when the heartbeat token is bad", async () => {
    const client = testClient(scriptedFetch().fetch);
    const company = await client.register(companyInput());
    await client.validate({ company_code: company.company_code, machine_id: "m-1", hostname: "h" });
    const error = await rejection(
      client.heartbeat(
        { company_code: company.company_code, machine_id: "m-1", app_version: "1.0.0" },
        "not.a.jwt",
      ),
    );
    expect(error).toBeInstanceOf(NexusApiError);
    if (!(error instanceof NexusApiError)) return;
    expect(error.status).toBe(401);
    expect(error.code).toBe("INVALID_TOKEN");
    expect(error.action).toBe("revalidate");
    expect(error.shouldRevalidate).toBe(true);
  });

  it("answers revalidate from the code alone when the API gives no action", async () => {
    const body = {
      success: false,
      error: { code: "TOKEN_EXPIRED", message: "The token has expired.", request_id: "req-1" },
    };
    const error = await rejection(
      testClient(answer(401, body)).heartbeat(
        { company_code: "ABC", machine_id: "m", app_version: "1.0.0" },
        "token",
      ),
    );
    expect(error).toBeInstanceOf(NexusApiError);
    expect(error instanceof NexusApiError && error.shouldRevalidate).toBe(true);
  });

  it("throws NexusResponseError for a 2xx body outside the contract, without retrying", async () => {
    const { fetch, sent } = scriptedFetch(answer(200, { success: true }, { "x-request-id": "req-42" }));
    const error = await rejection(
      testClient(fetch).validate({ company_code: "ABC", machine_id: "m", hostname: "h" }),
    );
    expect(error).toBeInstanceOf(NexusResponseError);
    if (!(error instanceof NexusResponseError)) return;
    expect(error.status).toBe(200);
    expect(error.requestId).toBe("req-42");
    expect(error.body).toBe('{"success":true}');
    expect(sent).toHaveLength(1);
  });

  it("throws NexusResponseError for an error page without the envelope", async () => {
    const page = answer(403, "<html>Blocked by proxy</html>", { "content-type": "text/html" });
    const error = await rejection(
      testClient(page).validate({ company_code: "ABC", machine_id: "m", hostname: "h" }),
    );
    expect(error).toBeInstanceOf(NexusResponseError);
    expect(error instanceof NexusResponseError && error.body).toContain("Blocked by proxy");
  });
});

describe("register idempotency", () => {
  it("retries a lost 201 with the same Idempotency-Key and creates one company", async () => {
    let created: RegisterResponse | undefined;
    const replayed: (string | null)[] = [];
    const { fetch, sent } = scriptedFetch(
      // The worker creates the company, but the answer is lost on the way back.
      async (input, init) => {
        const response = await toWorker(input, init);
        created = (await response.json()) as RegisterResponse;
        return new Response("upstream connection reset", { status: 500 });
      },
      async (input, init) => {
        const response = await toWorker(input, init);
        replayed.push(response.headers.get("idempotent-replayed"));
        return response;
      },
    );

    const company = await testClient(fetch).register(companyInput());

    expect(sent).toHaveLength(2);
    const keys = sent.map((request) => request.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(replayed).toEqual(["true"]);
    expect(created?.company_id).toBeTruthy();
    expect(company.company_id).toBe(created?.company_id);
    expect(await listCompanies()).toEqual([{ company_id: company.company_id }]);
  });

  it("uses a new key per call unless the caller supplies one", async () => {
    const { fetch, sent } = scriptedFetch();
    const client = testClient(fetch);
    const input = companyInput();
    const first = await client.register(input, { idempotencyKey: "install-wizard-1" });
    const again = await client.register(input, { idempotencyKey: "install-wizard-1" });
    const other = await client.register(companyInput());
    expect(again.company_id).toBe(first.company_id);
    expect(other.company_id).not.toBe(first.company_id);
    const keys = sent.map((request) => request.headers.get("idempotency-key"));
    expect(keys.slice(0, 2)).toEqual(["install-wizard-1", "install-wizard-1"]);
    expect(keys[2]).not.toBe("install-wizard-1");
    expect(await listCompanies()).toHaveLength(2);
  });
});

describe("sendTelemetry", () => {
  const batch = {
    batch_id: "0b6f0c9e-2a51-4c8e-9a57-6b1f8d1c2e3f",
    samples: [{ machine_id: "press-1", metric: "temperature", value: 71.5, ts: 1_700_000_000_000 }],
    usage: [{ event: "app.started" as const, app_version: "1.2.0", ts: 1_700_000_000_000 }],
  };
  const accepted: TelemetryIngestResponse = {
    success: true,
    batch_id: batch.batch_id,
    accepted: { samples: 1, usage: 1 },
    rejected_count: 0,
    rejected: [],
  };

  it("posts the batch with the bearer credential and reads the 202 answer", async () => {
    const { fetch, sent } = scriptedFetch(answer(202, accepted));
    const result = await testClient(fetch, { userAgent: "NexusDesktop/1.2.0" }).sendTelemetry(
      batch,
      "company-api-key",
    );
    expectTypeOf(result).toEqualTypeOf<TelemetryIngestResponse>();
    expect(result).toEqual(accepted);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("POST");
    expect(sent[0]?.url).toBe(`${BASE_URL}/api/telemetry`);
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer company-api-key");
    expect(sent[0]?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(sent[0]?.body ?? "")).toEqual(batch);
  });

  it("retries a 503 with the identical body, so the API can count the batch once", async () => {
    const unavailable = answer(503, errorEnvelope("SERVICE_UNAVAILABLE"));
    const { fetch, sent } = scriptedFetch(unavailable, answer(202, accepted));
    const result = await testClient(fetch).sendTelemetry(batch, "installation-token");
    expect(result.batch_id).toBe(batch.batch_id);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toBe(sent[0]?.body);
  });

  it("throws NexusApiError for a refused batch, without retrying", async () => {
    const { fetch, sent } = scriptedFetch(answer(400, errorEnvelope("VALIDATION_FAILED")));
    const error = await rejection(testClient(fetch).sendTelemetry(batch, "installation-token"));
    expect(error).toBeInstanceOf(NexusApiError);
    expect(error instanceof NexusApiError && error.code).toBe("VALIDATION_FAILED");
    expect(sent).toHaveLength(1);
  });
});

describe("validate and the installation secret", () => {
  const machine = { machine_id: "desk-7", hostname: "DESK-7", app_version: "1.0.0" };

  it("proposes a secret, stores it before sending, and validates again with it", async () => {
    const saved = new Map<string, string>();
    const store: InstallationSecretStore = {
      load: (code, id) => saved.get(`${code}/${id}`),
      save: (code, id, secret) => void saved.set(`${code}/${id}`, secret),
    };
    const { fetch, sent } = scriptedFetch();
    const client = testClient(fetch, { installationSecrets: store });
    const company = await client.register(companyInput());
    const first = await client.validate({ company_code: company.company_code.toLowerCase(), ...machine });
    const secret = saved.get(`${company.company_code}/desk-7`) ?? "";
    expect(secret).toMatch(/^nxi_[0-9a-f]{64}$/);
    expect(JSON.parse(sent[1]?.body ?? "{}").installation_secret).toBe(secret);

    // The app restarts: a new client over the same store is the same machine.
    const restarted = testClient(scriptedFetch().fetch, { installationSecrets: store });
    const again = await restarted.validate({
      company_code: company.company_code,
      ...machine,
      hostname: "DESK-7B",
    });
    expect(again.installation.id).toBe(first.installation.id);

    // Another device copying the machine_id has no secret: refused, nothing changed.
    const intruder = testClient(scriptedFetch().fetch, {
      installationSecrets: memoryInstallationSecretStore(),
    });
    const error = await rejection(
      intruder.validate({ company_code: company.company_code, ...machine, hostname: "EVIL" }),
    );
    expect(error).toBeInstanceOf(NexusApiError);
    if (!(error instanceof NexusApiError)) return;
    expect(error.status).toBe(409);
    expect(error.code).toBe("INSTALLATION_BOUND");
    expect(error.action).toBe("contact_admin");
    expect(error.shouldRevalidate).toBe(false);
  });

  it("recovers a lost secret with a token of the installation, and stores the new binding", async () => {
    const client = testClient(scriptedFetch().fetch);
    const company = await client.register(companyInput());
    const first = await client.validate({ company_code: company.company_code, ...machine });
    // A reinstalled app: its secret store is empty, but it kept the last token.
    const store = memoryInstallationSecretStore();
    const reinstalled = testClient(scriptedFetch().fetch, { installationSecrets: store });
    const again = await reinstalled.validate(
      { company_code: company.company_code, ...machine },
      { installationToken: first.installation.token },
    );
    expect(again.installation.id).toBe(first.installation.id);
    const secret = await store.load(company.company_code, machine.machine_id);
    expect(secret).toMatch(/^nxi_/);
    // From now on its own secret is the proof; the old client's no longer is.
    expect(
      (await reinstalled.validate({ company_code: company.company_code, ...machine })).installation.id,
    ).toBe(first.installation.id);
    const stale = await rejection(client.validate({ company_code: company.company_code, ...machine }));
    expect(stale instanceof NexusApiError && stale.code).toBe("INSTALLATION_BOUND");
  });
});
