// The CompanyHub's part of the LLM gateway: budgets (reserve-then-settle), the company's requests
// and tokens per minute, and a circuit breaker per provider target. The hub is the company's one
// serialization point, so `begin` checks and reserves without awaiting anything: fifty concurrent
// calls cannot all see the same unspent budget. Spent amounts are written through to the object's
// storage (a budget must survive a restart); reservations and breakers live in memory — a restart
// forgets reservations (their calls still settle: `end` adds the cost) and closes the breakers.
import { fail, type HubResult } from "./hub-result.ts";
import type { RateLimitDecision, TokenBuckets } from "./token-buckets.ts";

/** What the worker asks before an LLM call. Amounts are micro-USD. */
export interface LlmBeginRequest {
  /** Chosen by the worker, unique per call; `end` names it. */
  reservationId: string;
  /** The budget period, the UTC month: "2026-12". */
  period: string;
  /** The most the call may cost (prompt + max_tokens at the dearest target), reserved until `end`. */
  cost: number;
  /** Tokens the call may use, charged against tokens/minute now and corrected at `end`. */
  tokens: number;
  /** The API key making the call (its budget and spend); null for an installation token. */
  keyId: string | null;
  /** Per period; null = no budget. */
  companyBudget: number | null;
  keyBudget: number | null;
  requestsPerMinute: number;
  tokensPerMinute: number;
  /** The policy's target ids in order, e.g. "openai/gpt-4o-mini/platform". */
  targets: string[];
}

export interface LlmAdmission {
  /** Targets whose circuit is open: skip them. */
  open: string[];
  /** Requests per minute, for the RateLimit headers. */
  rateLimit: RateLimitDecision;
  /** Tokens per minute after this call's charge. */
  tokenLimit: RateLimitDecision;
}

/** What the worker reports when the call is over, whatever its outcome. */
export interface LlmSettlement {
  reservationId: string;
  /** The begin request's period and key: a reservation the hub no longer knows still settles to them. */
  period: string;
  keyId: string | null;
  /** The actual cost (micro-USD) and tokens; 0 when no target answered. */
  cost: number;
  tokens: number;
  /**
   * Every target tried, in order. `ok: false` counts against the target's breaker: report it for the
   * failures that make the gateway fall back (429, 5xx, timeout, network), not for a client's 400.
   */
  attempts: { target: string; ok: boolean }[];
}

export interface LlmSpend {
  /** Settled spend of the company in the period, micro-USD. */
  company: number;
  /** Reserved by calls in progress. */
  reserved: number;
  /** Settled spend per API key id. */
  keys: Record<string, number>;
}

/** Which limit refused an LLM call (RATE_LIMITED details.rate_limit). */
export type LlmRateLimitName = "llm_rpm" | "llm_tpm";

export const RESERVATION_TTL_MS = 15 * 60_000;
export const BREAKER_FAILURES = 3;
export const BREAKER_OPEN_MS = 30_000;
// A half-open breaker's trial whose caller never reports on that target (its call ended before
// reaching it, or never ended) is handed to another caller after this long.
export const BREAKER_TRIAL_MS = 60_000;

const RPM_KEY = "llm:rpm";
const TPM_KEY = "llm:tpm";
const COMPANY_SCOPE = "company";
const keyScope = (keyId: string) => `key:${keyId}`;

const SCHEMA = `CREATE TABLE IF NOT EXISTS llm_spend (
  period TEXT NOT NULL,
  scope TEXT NOT NULL,
  micro_usd REAL NOT NULL,
  PRIMARY KEY (period, scope)
)`;

interface Reservation {
  period: string;
  keyId: string | null;
  cost: number;
  /** Charged against tokens/minute (the request's tokens, at most the limit). */
  tokens: number;
  tokensPerMinute: number;
  at: number;
}

interface Breaker {
  failures: number;
  /** Set while open; once passed the breaker is half-open. */
  openUntil: number | null;
  trial: { reservationId: string; at: number } | null;
}

interface BudgetCheck {
  budget: "company" | "api_key";
  limit: number;
  scope: string;
}

export class HubLlm {
  readonly #sql: SqlStorage;
  readonly #buckets: TokenBuckets;
  readonly #now: () => number;
  // Insertion order is begin order, so expired reservations are at the front.
  readonly #reservations = new Map<string, Reservation>();
  readonly #reserved = new Map<string, number>();
  readonly #spent = new Map<string, number>();
  readonly #breakers = new Map<string, Breaker>();

  constructor(sql: SqlStorage, buckets: TokenBuckets, now: () => number = Date.now) {
    this.#sql = sql;
    this.#buckets = buckets;
    this.#now = now;
    this.#sql.exec(SCHEMA);
  }

  /**
   * Admits a call or refuses it: the rate limits first (a request refused by tokens/minute still
   * counts as a request), then the company's and the key's budget. Only an admitted call holds
   * tokens and a reservation.
   */
  begin(request: LlmBeginRequest): HubResult<LlmAdmission> {
    checkAmount("cost", request.cost);
    checkAmount("tokens", request.tokens);
    const now = this.#now();
    this.#expire(now);
    if (this.#reservations.has(request.reservationId)) {
      throw new Error(`LLM reservation ${request.reservationId} is already in progress`);
    }
    const rpm = perMinute(request.requestsPerMinute);
    const tpm = perMinute(request.tokensPerMinute);
    const rateLimit = this.#buckets.take(RPM_KEY, rpm, now);
    if (!rateLimit.allowed) return rateLimited("llm_rpm", rateLimit, request);
    // A call larger than the whole limit passes when the bucket is full; its debt is charged at `end`.
    const charged = Math.min(request.tokens, tpm.limit);
    const tokenLimit = this.#buckets.take(TPM_KEY, tpm, now, charged);
    if (!tokenLimit.allowed) return rateLimited("llm_tpm", tokenLimit, request);

    const refused = this.#budgetRefusal(request);
    if (refused) {
      this.#buckets.adjust(TPM_KEY, tpm, charged, now);
      return refused;
    }
    this.#reservations.set(request.reservationId, {
      period: request.period,
      keyId: request.keyId,
      cost: request.cost,
      tokens: charged,
      tokensPerMinute: request.tokensPerMinute,
      at: now,
    });
    this.#addReserved(request.period, request.keyId, request.cost);
    const open = request.targets.filter((target) => this.#skip(target, request.reservationId, now));
    return { ok: true, value: { open, rateLimit, tokenLimit } };
  }

  /**
   * Settles a call: its reservation is replaced by the actual cost (which may exceed it: that is the
   * most a budget is overspent by), its tokens/minute charge is corrected, and its attempts feed the
   * breakers. An unknown reservation (expired, or from before a restart) still adds the cost.
   */
  end(settlement: LlmSettlement): void {
    checkAmount("cost", settlement.cost);
    checkAmount("tokens", settlement.tokens);
    const now = this.#now();
    this.#expire(now);
    const reservation = this.#reservations.get(settlement.reservationId);
    if (reservation) {
      this.#release(settlement.reservationId, reservation);
      this.#buckets.adjust(
        TPM_KEY,
        perMinute(reservation.tokensPerMinute),
        reservation.tokens - settlement.tokens,
        now,
      );
    }
    if (settlement.cost > 0) {
      this.#addSpent(settlement.period, COMPANY_SCOPE, settlement.cost);
      if (settlement.keyId !== null)
        this.#addSpent(settlement.period, keyScope(settlement.keyId), settlement.cost);
    }
    this.#report(settlement, now);
  }

  spend(period: string): LlmSpend {
    this.#expire(this.#now());
    const keys: Record<string, number> = {};
    let company = 0;
    const rows = this.#sql.exec<{ scope: string; micro_usd: number }>(
      "SELECT scope, micro_usd FROM llm_spend WHERE period = ?",
      period,
    );
    for (const row of rows) {
      if (row.scope === COMPANY_SCOPE) company = row.micro_usd;
      else if (row.scope.startsWith("key:")) keys[row.scope.slice(4)] = row.micro_usd;
    }
    return { company, reserved: this.#reserved.get(slot(period, COMPANY_SCOPE)) ?? 0, keys };
  }

  // ---- budgets ----------------------------------------------------------------------------------

  #budgetRefusal(request: LlmBeginRequest): HubResult<never> | null {
    const checks: BudgetCheck[] = [];
    if (request.companyBudget !== null) {
      checks.push({ budget: "company", limit: request.companyBudget, scope: COMPANY_SCOPE });
    }
    if (request.keyId !== null && request.keyBudget !== null) {
      checks.push({ budget: "api_key", limit: request.keyBudget, scope: keyScope(request.keyId) });
    }
    for (const check of checks) {
      const spent = this.#spentIn(request.period, check.scope);
      const reserved = this.#reserved.get(slot(request.period, check.scope)) ?? 0;
      if (spent + reserved + request.cost <= check.limit) continue;
      return budgetExceeded(check, request, spent, reserved);
    }
    return null;
  }

  #spentIn(period: string, scope: string): number {
    const key = slot(period, scope);
    const known = this.#spent.get(key);
    if (known !== undefined) return known;
    const row = this.#sql
      .exec<{ micro_usd: number }>(
        "SELECT micro_usd FROM llm_spend WHERE period = ? AND scope = ?",
        period,
        scope,
      )
      .toArray()[0];
    const spent = row?.micro_usd ?? 0;
    this.#spent.set(key, spent);
    return spent;
  }

  #addSpent(period: string, scope: string, cost: number): void {
    this.#spent.set(slot(period, scope), this.#spentIn(period, scope) + cost);
    this.#sql.exec(
      `INSERT INTO llm_spend (period, scope, micro_usd) VALUES (?1, ?2, ?3)
       ON CONFLICT (period, scope) DO UPDATE SET micro_usd = micro_usd + ?3`,
      period,
      scope,
      cost,
    );
  }

  #addReserved(period: string, keyId: string | null, cost: number): void {
    const scopes = keyId === null ? [COMPANY_SCOPE] : [COMPANY_SCOPE, keyScope(keyId)];
    for (const scope of scopes) {
      const key = slot(period, scope);
      const total = (this.#reserved.get(key) ?? 0) + cost;
      // Rounding left over from fractional amounts would otherwise linger as a phantom reservation.
      if (total > 1e-6) this.#reserved.set(key, total);
      else this.#reserved.delete(key);
    }
  }

  #release(reservationId: string, reservation: Reservation): void {
    this.#reservations.delete(reservationId);
    this.#addReserved(reservation.period, reservation.keyId, -reservation.cost);
  }

  /** Releases reservations older than RESERVATION_TTL_MS: their calls are over or lost. */
  #expire(now: number): void {
    for (const [id, reservation] of this.#reservations) {
      if (reservation.at > now - RESERVATION_TTL_MS) break;
      this.#release(id, reservation);
    }
  }

  // ---- circuit breakers -------------------------------------------------------------------------

  /** Whether the caller must skip `target`; a half-open breaker hands its one trial to this caller. */
  #skip(target: string, reservationId: string, now: number): boolean {
    const breaker = this.#breakers.get(target);
    if (!breaker || breaker.openUntil === null) return false;
    if (now < breaker.openUntil) return true;
    if (breaker.trial && now - breaker.trial.at < BREAKER_TRIAL_MS) return true;
    breaker.trial = { reservationId, at: now };
    return false;
  }

  #report(settlement: LlmSettlement, now: number): void {
    const tried = new Set<string>();
    for (const { target, ok } of settlement.attempts) {
      tried.add(target);
      const breaker = this.#breakers.get(target) ?? { failures: 0, openUntil: null, trial: null };
      // While open only the clock decides: these are calls begun before it opened.
      if (breaker.openUntil !== null && now < breaker.openUntil) continue;
      if (ok) {
        this.#breakers.delete(target);
        continue;
      }
      breaker.failures += 1;
      // A failure while half-open (the trial's, or a straggler's) reopens at once.
      if (breaker.openUntil !== null || breaker.failures >= BREAKER_FAILURES) {
        breaker.openUntil = now + BREAKER_OPEN_MS;
        breaker.trial = null;
      }
      this.#breakers.set(target, breaker);
    }
    // A trial holder that never reached its target gives the trial back at once.
    for (const [target, breaker] of this.#breakers) {
      if (breaker.trial?.reservationId === settlement.reservationId && !tried.has(target))
        breaker.trial = null;
    }
  }
}

const slot = (period: string, scope: string) => `${period}\n${scope}`;

const perMinute = (limit: number) => {
  if (!(limit >= 1)) throw new RangeError(`an LLM per-minute limit must be at least 1, got ${limit}`);
  return { limit, window_seconds: 60 };
};

// Amounts come from the worker, never from a client; a NaN or negative one would corrupt a budget.
function checkAmount(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`LLM ${name} must be >= 0, got ${value}`);
}

function rateLimited(name: LlmRateLimitName, decision: RateLimitDecision, request: LlmBeginRequest) {
  const message =
    name === "llm_rpm"
      ? `Too many LLM requests for this company (limit ${decision.limit} a minute).`
      : `Too many LLM tokens for this company (limit ${decision.limit} a minute; this call may use up to ${request.tokens}).`;
  return fail("RATE_LIMITED", `${message} Try again in ${decision.retryAfterSeconds} s.`, {
    action: "retry",
    rate_limit: name,
    retry_after_seconds: decision.retryAfterSeconds,
    limit: decision.limit,
    window_seconds: decision.windowSeconds,
    decision,
  });
}

function budgetExceeded(check: BudgetCheck, request: LlmBeginRequest, spent: number, reserved: number) {
  const whose = check.budget === "company" ? "The company's" : "This API key's";
  const head = `${whose} LLM budget for ${request.period} (${usd(check.limit)})`;
  const next = nextPeriod(request.period);
  const wait = next ? ` or wait for ${next}` : "";
  const message =
    spent >= check.limit
      ? `${head} is used up: ${usd(spent)} spent. Raise the budget${wait}.`
      : `${head} cannot cover this call: ${usd(spent)} spent, ${usd(reserved)} reserved by calls in progress, and this call may cost up to ${usd(request.cost)}. Lower max_tokens, wait for the calls in progress to finish, or raise the budget.`;
  return fail("LLM_BUDGET_EXCEEDED", message, {
    budget: check.budget,
    ...(check.budget === "api_key" ? { api_key_id: request.keyId } : {}),
    period: request.period,
    limit_micro_usd: check.limit,
    spent_micro_usd: spent,
    reserved_micro_usd: reserved,
    cost_micro_usd: request.cost,
  });
}

/** Micro-USD as dollars: cents when whole, else up to six decimals. */
export function usd(microUsd: number): string {
  const dollars = microUsd / 1_000_000;
  if (Number.isInteger(microUsd / 10_000)) return `$${dollars.toFixed(2)}`;
  return `$${dollars.toFixed(6).replace(/0+$/, "")}`;
}

function nextPeriod(period: string): string | null {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return null;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, "0")}`;
}
