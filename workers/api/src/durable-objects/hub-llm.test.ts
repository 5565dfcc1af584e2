import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { companyHub } from "../services/hub.ts";
import type { CompanyHub } from "./company-hub.ts";
import {
  BREAKER_OPEN_MS,
  BREAKER_TRIAL_MS,
  HubLlm,
  type LlmBeginRequest,
  type LlmSettlement,
  RESERVATION_TTL_MS,
} from "./hub-llm.ts";
import type { HubResult } from "./hub-result.ts";
import { TokenBuckets } from "./token-buckets.ts";

const PERIOD = "2026-12";
const BUDGET = 1_000_000; // $1 in micro-USD
const RESERVATION = 30_000;

let companyId: string;
let hub: DurableObjectStub<CompanyHub>;
let sequence = 0;

beforeEach(() => {
  companyId = crypto.randomUUID();
  hub = companyHub(env, companyId);
});

const request = (overrides: Partial<LlmBeginRequest> = {}): LlmBeginRequest => ({
  reservationId: `r-${++sequence}`,
  period: PERIOD,
  cost: RESERVATION,
  tokens: 500,
  keyId: null,
  companyBudget: BUDGET,
  keyBudget: null,
  requestsPerMinute: 1_000,
  tokensPerMinute: 1_000_000,
  targets: ["openai/gpt-4o-mini/platform", "anthropic/claude-3-5-haiku-latest/platform"],
  ...overrides,
});

const settlement = (begun: LlmBeginRequest, overrides: Partial<LlmSettlement> = {}): LlmSettlement => ({
  reservationId: begun.reservationId,
  period: begun.period,
  keyId: begun.keyId,
  cost: begun.cost,
  tokens: begun.tokens,
  attempts: [],
  ...overrides,
});

function refusal<T>(result: HubResult<T>) {
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

function admitted<T>(result: HubResult<T>): T {
  if (!result.ok) throw new Error(`expected an admission, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Ends the hub's life as an eviction or a deploy would: its memory goes, its storage stays. */
async function restartHub() {
  const aborted = await runInDurableObject(hub, (_instance, state) =>
    state.abort("restarted by the test"),
  ).then(
    () => false,
    () => true,
  );
  expect(aborted).toBe(true);
  // A stub whose object was aborted stays broken; the next one reaches a fresh instance.
  hub = companyHub(env, companyId);
}

/** A HubLlm over the hub's storage with a clock the test moves. */
function withLlm(test: (llm: HubLlm, clock: { now: number }, sql: SqlStorage) => void) {
  return runInDurableObject(hub, (_instance, state) => {
    const clock = { now: Date.UTC(2026, 11, 7, 6) };
    test(
      new HubLlm(state.storage.sql, new TokenBuckets(state.storage.sql), () => clock.now),
      clock,
      state.storage.sql,
    );
  });
}

describe("LLM budgets through the CompanyHub", () => {
  it("let fifty concurrent calls against $1 overspend by at most one reservation, then refuse", async () => {
    const requests = Array.from({ length: 50 }, () => request());
    const results = await Promise.all(requests.map((r) => hub.llmBegin(companyId, r)));
    const admittedRequests = requests.filter((_, i) => results[i]?.ok);
    const fits = Math.floor(BUDGET / RESERVATION);
    expect(admittedRequests.length).toBe(fits);
    for (const result of results.filter((r) => !r.ok)) {
      const error = refusal(result);
      expect(error.code).toBe("LLM_BUDGET_EXCEEDED");
      expect(error.details).toMatchObject({ budget: "company", limit_micro_usd: BUDGET, spent_micro_usd: 0 });
    }
    expect((await hub.llmSpend(companyId, PERIOD)).reserved).toBe(fits * RESERVATION);

    // Most calls cost less than reserved; a few (a cut stream's estimate) cost more.
    await Promise.all(
      admittedRequests.map((r, i) =>
        hub.llmEnd(
          companyId,
          settlement(r, { cost: i % 10 === 0 ? RESERVATION + 9_000 : RESERVATION - 1_000 }),
        ),
      ),
    );
    const spend = await hub.llmSpend(companyId, PERIOD);
    expect(spend.reserved).toBe(0);
    expect(spend.company).toBeGreaterThan(BUDGET - RESERVATION);
    expect(spend.company).toBeLessThanOrEqual(BUDGET + RESERVATION);

    const later = refusal(await hub.llmBegin(companyId, request()));
    expect(later.code).toBe("LLM_BUDGET_EXCEEDED");
    expect(later.message).toMatch(
      /^The company's LLM budget for 2026-12 \(\$1\.00\) (is used up|cannot cover)/,
    );
    expect(later.details).toMatchObject({ spent_micro_usd: spend.company, reserved_micro_usd: 0 });
  });

  it("never overspend when fifty callers loop begin/settle until refused", async () => {
    const settled: number[] = [];
    const caller = async (worker: number) => {
      for (let i = 0; ; i++) {
        const r = request();
        const result = await hub.llmBegin(companyId, r);
        if (!result.ok) return refusal(result).code;
        const cost = 10_000 + ((worker * 7 + i * 13) % 20_001);
        settled.push(cost);
        await hub.llmEnd(companyId, settlement(r, { cost }));
      }
    };
    const codes = await Promise.all(Array.from({ length: 50 }, (_, worker) => caller(worker)));
    expect(new Set(codes)).toEqual(new Set(["LLM_BUDGET_EXCEEDED"]));
    const spend = await hub.llmSpend(companyId, PERIOD);
    expect(spend.company).toBe(settled.reduce((a, b) => a + b, 0));
    expect(spend.company).toBeLessThanOrEqual(BUDGET);
    expect(spend.reserved).toBe(0);
  });

  it("keep each API key's budget apart from the company's and from other keys'", async () => {
    const keyA = request({ keyId: "key-a", keyBudget: 100_000, cost: 60_000 });
    admitted(await hub.llmBegin(companyId, keyA));
    await hub.llmEnd(companyId, settlement(keyA));

    const again = refusal(
      await hub.llmBegin(companyId, request({ keyId: "key-a", keyBudget: 100_000, cost: 60_000 })),
    );
    expect(again.code).toBe("LLM_BUDGET_EXCEEDED");
    expect(again.details).toMatchObject({
      budget: "api_key",
      api_key_id: "key-a",
      limit_micro_usd: 100_000,
      spent_micro_usd: 60_000,
    });
    expect(again.message).toMatch(
      /^This API key's LLM budget for 2026-12 \(\$0\.10\) cannot cover this call/,
    );

    // Key B and calls without a key still have the company's budget.
    const keyB = request({ keyId: "key-b", keyBudget: 100_000, cost: 60_000 });
    admitted(await hub.llmBegin(companyId, keyB));
    await hub.llmEnd(companyId, settlement(keyB, { cost: 50_000 }));
    admitted(await hub.llmBegin(companyId, request({ cost: 60_000 })));

    // The company's budget binds even when the key's has room.
    const company = refusal(
      await hub.llmBegin(
        companyId,
        request({ keyId: "key-b", keyBudget: 10_000_000, companyBudget: 150_000 }),
      ),
    );
    expect(company.details).toMatchObject({
      budget: "company",
      spent_micro_usd: 110_000,
      reserved_micro_usd: 60_000,
    });

    expect(await hub.llmSpend(companyId, PERIOD)).toEqual({
      company: 110_000,
      reserved: 60_000,
      keys: { "key-a": 60_000, "key-b": 50_000 },
    });
    expect((await hub.llmSpend(companyId, "2027-01")).company).toBe(0);
  });

  it("refuse over requests/minute with a retry-after, before the budget and reserving nothing", async () => {
    const limits = { requestsPerMinute: 2, companyBudget: BUDGET };
    const first = admitted(await hub.llmBegin(companyId, request(limits)));
    expect(first.rateLimit).toMatchObject({ allowed: true, limit: 2, remaining: 1, windowSeconds: 60 });
    admitted(await hub.llmBegin(companyId, request(limits)));

    // Over the budget as well: the rate limit answers first.
    const error = refusal(await hub.llmBegin(companyId, request({ ...limits, cost: 5 * BUDGET })));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.message).toMatch(/Too many LLM requests .* Try again in \d+ s\./);
    expect(error.details).toMatchObject({ rate_limit: "llm_rpm", limit: 2, window_seconds: 60 });
    const retryAfter = error.details?.retry_after_seconds;
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(error.details?.decision).toMatchObject({ allowed: false, retryAfterSeconds: retryAfter });
    expect((await hub.llmSpend(companyId, PERIOD)).reserved).toBe(2 * RESERVATION);
  });
});

describe("LLM tokens per minute", () => {
  it("charge the reserved tokens at begin and correct them at settle", () =>
    withLlm((llm) => {
      const policy = { tokensPerMinute: 1_000 };
      const big = request({ ...policy, tokens: 800 });
      expect(admitted(llm.begin(big)).tokenLimit).toMatchObject({ allowed: true, remaining: 200 });
      const refused = refusal(llm.begin(request({ ...policy, tokens: 300 })));
      expect(refused.code).toBe("RATE_LIMITED");
      expect(refused.details).toMatchObject({ rate_limit: "llm_tpm", limit: 1_000 });
      // 100 tokens short at 1,000 a minute: 6 s.
      expect(refused.details?.retry_after_seconds).toBe(6);

      // The call used 100 tokens: 700 come back.
      llm.end(settlement(big, { tokens: 100 }));
      const next = request({ ...policy, tokens: 300 });
      expect(admitted(llm.begin(next)).tokenLimit.remaining).toBe(600);

      // Used more than reserved: the bucket goes 600 into debt and the next call waits for 601 tokens.
      llm.end(settlement(next, { tokens: 1_500 }));
      const debt = refusal(llm.begin(request({ ...policy, tokens: 1 })));
      expect(debt.details?.retry_after_seconds).toBe(37);
    }));

  it("give back the tokens of a call refused by its budget", () =>
    withLlm((llm) => {
      const policy = { tokensPerMinute: 1_000, tokens: 400 };
      expect(refusal(llm.begin(request({ ...policy, cost: 2 * BUDGET }))).code).toBe("LLM_BUDGET_EXCEEDED");
      expect(admitted(llm.begin(request(policy))).tokenLimit.remaining).toBe(600);
      expect(llm.spend(PERIOD).reserved).toBe(RESERVATION);
    }));

  it("admit a call larger than the whole limit when the bucket is full, then charge its debt", () =>
    withLlm((llm) => {
      const huge = request({ tokensPerMinute: 1_000, tokens: 5_000 });
      expect(admitted(llm.begin(huge)).tokenLimit.remaining).toBe(0);
      llm.end(settlement(huge, { tokens: 2_000 }));
      expect(
        refusal(llm.begin(request({ tokensPerMinute: 1_000, tokens: 1 }))).details?.retry_after_seconds,
      ).toBe(61);
    }));
});

describe("LLM circuit breakers", () => {
  const A = "openai/gpt-4o-mini/platform";
  const B = "anthropic/claude-3-5-haiku-latest/platform";
  // No budget: these calls are about the breakers, and many are never settled.
  const call = (llm: HubLlm, attempts: { target: string; ok: boolean }[]) => {
    const r = request({ companyBudget: null });
    const { open } = admitted(llm.begin(r));
    llm.end(settlement(r, { attempts }));
    return open;
  };
  const openNow = (llm: HubLlm) => {
    const r = request({ companyBudget: null });
    const { open } = admitted(llm.begin(r));
    return { open, r };
  };

  it("open after three consecutive failures, stay open 30 s, then let one trial through", () =>
    withLlm((llm, clock) => {
      call(llm, [{ target: A, ok: false }]);
      call(llm, [{ target: A, ok: false }]);
      // A success in between: the failures were not consecutive.
      call(llm, [{ target: A, ok: true }]);
      call(llm, [{ target: A, ok: false }]);
      call(llm, [{ target: A, ok: false }]);
      expect(openNow(llm).open).toEqual([]);
      call(llm, [
        { target: A, ok: false },
        { target: B, ok: true },
      ]);
      expect(openNow(llm).open).toEqual([A]);

      clock.now += BREAKER_OPEN_MS - 1;
      expect(openNow(llm).open).toEqual([A]);

      // Half-open: the first caller gets A back, the others still skip it.
      clock.now += 1;
      const trial = openNow(llm);
      expect(trial.open).toEqual([]);
      expect(openNow(llm).open).toEqual([A]);
      // The trial fails: open for another 30 s.
      llm.end(settlement(trial.r, { attempts: [{ target: A, ok: false }] }));
      clock.now += BREAKER_OPEN_MS - 1;
      expect(openNow(llm).open).toEqual([A]);

      clock.now += 1;
      const second = openNow(llm);
      expect(second.open).toEqual([]);
      llm.end(settlement(second.r, { attempts: [{ target: A, ok: true }] }));
      expect(openNow(llm).open).toEqual([]);
      expect(openNow(llm).open).toEqual([]);
      // Closed again: it takes three new failures to open it.
      call(llm, [{ target: A, ok: false }]);
      call(llm, [{ target: A, ok: false }]);
      expect(openNow(llm).open).toEqual([]);
    }));

  it("hand the trial to another caller when its holder never tried the target", () =>
    withLlm((llm, clock) => {
      for (let i = 0; i < 3; i++) call(llm, [{ target: A, ok: false }]);
      clock.now += BREAKER_OPEN_MS;
      const holder = openNow(llm);
      expect(holder.open).toEqual([]);
      expect(openNow(llm).open).toEqual([A]);
      // The holder's call ended before reaching A (refused upstream, or answered by an earlier target).
      llm.end(settlement(holder.r, { attempts: [] }));
      expect(openNow(llm).open).toEqual([]);

      // A holder that never reports at all loses the trial after a while.
      expect(openNow(llm).open).toEqual([A]);
      clock.now += BREAKER_TRIAL_MS;
      expect(openNow(llm).open).toEqual([]);
    }));

  it("ignore late reports of calls begun before the breaker opened", () =>
    withLlm((llm, clock) => {
      const straggler = request();
      admitted(llm.begin(straggler));
      for (let i = 0; i < 3; i++) call(llm, [{ target: A, ok: false }]);
      llm.end(settlement(straggler, { attempts: [{ target: A, ok: true }] }));
      expect(openNow(llm).open).toEqual([A]);
      clock.now += BREAKER_OPEN_MS;
      expect(openNow(llm).open).toEqual([]);
    }));
});

describe("LLM spend and reservations over time", () => {
  it("keep the spend across a restart of the hub", async () => {
    const r = request({ keyId: "key-a", keyBudget: 500_000, cost: 400_000 });
    admitted(await hub.llmBegin(companyId, r));
    await hub.llmEnd(companyId, settlement(r));
    const inFlight = request({ cost: 100_000 });
    admitted(await hub.llmBegin(companyId, inFlight));

    await restartHub();
    // Reservations lived in memory; the spend did not.
    expect(await hub.llmSpend(companyId, PERIOD)).toEqual({
      company: 400_000,
      reserved: 0,
      keys: { "key-a": 400_000 },
    });
    const refused = refusal(
      await hub.llmBegin(companyId, request({ keyId: "key-a", keyBudget: 500_000, cost: 200_000 })),
    );
    expect(refused.details).toMatchObject({ budget: "api_key", spent_micro_usd: 400_000 });
    // The call begun before the restart still settles into the spend.
    await hub.llmEnd(companyId, settlement(inFlight, { cost: 90_000 }));
    expect((await hub.llmSpend(companyId, PERIOD)).company).toBe(490_000);

    // A HubLlm built afresh over the same storage reads the same spend.
    await withLlm((llm) => {
      expect(llm.spend(PERIOD)).toEqual({ company: 490_000, reserved: 0, keys: { "key-a": 400_000 } });
    });
  });

  it("release reservations not settled within 15 minutes; a late settlement still counts", () =>
    withLlm((llm, clock) => {
      const first = request({ cost: 600_000 });
      admitted(llm.begin(first));
      expect(refusal(llm.begin(request({ cost: 600_000 }))).details).toMatchObject({
        reserved_micro_usd: 600_000,
      });

      clock.now += RESERVATION_TTL_MS - 1;
      expect(llm.spend(PERIOD).reserved).toBe(600_000);
      clock.now += 1;
      expect(llm.spend(PERIOD).reserved).toBe(0);
      const second = request({ cost: 600_000 });
      admitted(llm.begin(second));

      llm.end(settlement(first, { cost: 500_000 }));
      expect(llm.spend(PERIOD)).toEqual({ company: 500_000, reserved: 600_000, keys: {} });
      llm.end(settlement(second, { cost: 550_000 }));
      expect(llm.spend(PERIOD)).toEqual({ company: 1_050_000, reserved: 0, keys: {} });
      expect(refusal(llm.begin(request({ cost: 1 }))).message).toBe(
        "The company's LLM budget for 2026-12 ($1.00) is used up: $1.05 spent. Raise the budget or wait for 2027-01.",
      );
    }));

  it("refuse amounts a bug would corrupt the budget with", () =>
    withLlm((llm) => {
      expect(() => llm.begin(request({ cost: Number.NaN }))).toThrow(RangeError);
      expect(() => llm.end(settlement(request(), { cost: -5 }))).toThrow(RangeError);
      expect(llm.spend(PERIOD).reserved).toBe(0);
    }));
});
