// The CompanyHub's rate limits: token buckets per sender in the object's storage, the feed's update
// counts taken with them, and the revocation of deactivated installations on those paths.
import type { RateLimitName } from "@nexus/contracts";
import type { HubAlarm } from "./hub-alarm.ts";
import type { CompanyState } from "./hub-company-state.ts";
import type { RegistryRow } from "./hub-registry.ts";
import { companyBlocked, deactivatedByAdmin, fail, type HubFailure, type HubResult } from "./hub-result.ts";
import type { HubState } from "./hub-state.ts";
import type { HubUpdateCounts, UpdateEvent } from "./hub-update-counts.ts";
import type { RateLimitDecision, TokenBuckets } from "./token-buckets.ts";

export type TelemetrySender = { installationId: string } | { apiKeyId: string };

/** One feed request: an update check or a download of `releaseId` by an installation. */
export interface FeedRequest {
  installationId: string;
  name: RateLimitName;
  releaseId: string;
  event: UpdateEvent;
}

/** What the rate limits work with, shared with the rest of the hub. */
export interface RateLimitParts {
  state: HubState;
  buckets: TokenBuckets;
  updateCounts: HubUpdateCounts;
  alarm: HubAlarm;
}

export class HubRateLimits {
  readonly #parts: RateLimitParts;

  constructor(parts: RateLimitParts) {
    this.#parts = parts;
  }

  /**
   * A feed request: refused when its installation is deactivated, else its rate limit and, when
   * allowed, its count (a check or a download of `releaseId`). With the company and installation
   * in memory it is decided without waiting on storage.
   */
  async feedRequest(companyId: string, item: FeedRequest): Promise<HubResult<RateLimitDecision>> {
    const { state } = this.#parts;
    const company = state.freshCompany();
    const known = company && state.knownInstallation(item.installationId);
    let result: HubResult<RateLimitDecision>;
    if (known) result = this.#feedRequest(item, company, known);
    else {
      const installation = await state.installation(companyId, item.installationId);
      result = this.#feedRequest(item, installation && (await state.company(companyId)), installation);
    }
    await this.#parts.alarm.ensure();
    return result;
  }

  #feedRequest(
    item: FeedRequest,
    company: CompanyState | null | undefined,
    installation: Readonly<RegistryRow> | undefined,
  ): HubResult<RateLimitDecision> {
    if (refused(installation)) return deactivatedByAdmin();
    const policy = company?.limits[item.name];
    if (!policy) throw new Error(`no rate limit policy ${item.name}`);
    const decision = this.#parts.buckets.take(`${item.name}:installation:${item.installationId}`, policy);
    if (decision.allowed) this.#parts.updateCounts.add(item.releaseId, item.event);
    return { ok: true, value: decision };
  }

  /**
   * A request for an artifact's bytes, limited by `download` per installation: a full download takes
   * a token; ranged requests (a differential download, a resumed one) take one for the first request
   * of an installation for a release and none while that download stays under way.
   */
  async downloadRequest(
    companyId: string,
    installationId: string,
    releaseId: string,
    ranged: boolean,
  ): Promise<HubResult<RateLimitDecision>> {
    const refused = await this.#refusedInstallation(companyId, installationId);
    if (refused) return refused;
    const key = `installation:${installationId}`;
    const company = await this.#parts.state.company(companyId);
    const policy = company?.limits.download;
    if (!policy) throw new Error("no rate limit policy download");
    const now = Date.now();
    const sessionKey = `${key}:${releaseId}`;
    const continuing = ranged && this.#parts.updateCounts.inSession(sessionKey, now);
    const decision = this.#parts.buckets.take(`download:${key}`, policy, now, continuing ? 0 : 1);
    if (decision.allowed) {
      if (ranged) this.#parts.updateCounts.add(releaseId, "range", now);
      if (!continuing) this.#parts.updateCounts.add(releaseId, "download", now);
      if (ranged && !continuing) this.#parts.updateCounts.openSession(sessionKey, now);
    }
    await this.#parts.alarm.ensure();
    return { ok: true, value: decision };
  }

  /**
   * A telemetry batch's gate: the company may send (not suspended or expired), the installation is
   * not deactivated, and the sender (an installation or an API key) is within its rate limit.
   */
  async telemetryRequest(companyId: string, sender: TelemetrySender): Promise<HubResult<RateLimitDecision>> {
    const refusal =
      "installationId" in sender
        ? await this.installationRefusal(companyId, sender.installationId)
        : await this.#companyRefusal(companyId);
    if (refusal) return refusal;
    const key =
      "installationId" in sender ? `installation:${sender.installationId}` : `api_key:${sender.apiKeyId}`;
    return { ok: true, value: await this.rateLimit(companyId, "telemetry", key) };
  }

  /**
   * Why an installation's token no longer opens the company's paths, if it does not: the company is
   * gone, suspended or expired, or the installation was deactivated (its token is still unexpired).
   */
  async installationRefusal(companyId: string, installationId: string): Promise<HubFailure | null> {
    return (
      (await this.#companyRefusal(companyId)) ?? (await this.#refusedInstallation(companyId, installationId))
    );
  }

  async #companyRefusal(companyId: string): Promise<HubFailure | null> {
    const company = await this.#parts.state.company(companyId);
    return company ? companyBlocked(company) : fail("COMPANY_NOT_FOUND", "This company no longer exists.");
  }

  async rateLimit(companyId: string, name: RateLimitName, key: string): Promise<RateLimitDecision> {
    const company = await this.#parts.state.company(companyId);
    const policy = company?.limits[name];
    if (!policy) throw new Error(`no rate limit policy ${name}`);
    const decision = this.#parts.buckets.take(`${name}:${key}`, policy);
    await this.#parts.alarm.ensure();
    return decision;
  }

  /** The alarm's housekeeping: buckets and download sessions nobody used for a while. */
  purge(): void {
    this.#parts.buckets.purgeStale();
    this.#parts.updateCounts.purgeSessions();
  }

  async #refusedInstallation(companyId: string, installationId: string): Promise<HubFailure | null> {
    return refused(await this.#parts.state.installation(companyId, installationId))
      ? deactivatedByAdmin()
      : null;
  }
}

/**
 * Revocation for the feed: a deactivated installation's token stays valid until it expires, but the
 * hub knows the installation is gone (or never knew it) and refuses it at once.
 */
const refused = (installation: Readonly<RegistryRow> | undefined) =>
  !installation || installation.status === "deactivated";
