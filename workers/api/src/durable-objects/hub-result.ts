// How the CompanyHub's RPC methods answer: errors are values, with the API's error codes.
import type { ErrorCode } from "@nexus/contracts";
import type { CompanyState } from "./hub-company-state.ts";

export interface HubError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
export type HubFailure = { ok: false; error: HubError };
/** RPC results carry errors as values: thrown errors lose their code crossing the RPC boundary. */
export type HubResult<T> = { ok: true; value: T } | HubFailure;

export const revalidate = { action: "revalidate" } as const;

export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): HubFailure => ({
  ok: false,
  error: { code, message, ...(details ? { details } : {}) },
});

export const deactivatedByAdmin = (): HubFailure =>
  fail(
    "INSTALLATION_DEACTIVATED",
    "This installation was deactivated by an administrator. Validate again to rejoin if a seat is free.",
    revalidate,
  );

export function companyBlocked(company: CompanyState): HubFailure | null {
  if (company.suspended) {
    return fail("COMPANY_SUSPENDED", "This company's account is suspended. Contact your administrator.", {
      action: "contact_admin",
    });
  }
  if (company.expiresAt !== null && company.expiresAt <= Date.now()) {
    return fail(
      "SUBSCRIPTION_EXPIRED",
      "This company's subscription has expired. Contact your administrator.",
      {
        action: "contact_admin",
      },
    );
  }
  return null;
}
