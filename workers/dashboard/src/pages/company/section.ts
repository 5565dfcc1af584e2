import type { Company } from "@nexus/contracts";

/** What every screen of a company gets from the company shell. */
export interface CompanySectionProps {
  company: Company;
  /** The address's segments after the section's own (e.g. a machine or project id). */
  rest: readonly string[];
  /** Loads the company again (after a change to its settings, say). */
  reloadCompany: () => void;
}

export const companyPath = (companyId: string, ...segments: string[]): string =>
  ["", "companies", companyId, ...segments].map(encodeURIComponent).join("/");
