// The screens of a company, in the order of its navigation. The first is the company's home.
import type { ComponentType } from "react";
import { CompanyOverview } from "./overview.tsx";
import type { CompanySectionProps } from "./section.ts";

export interface CompanySection {
  /** The address segment after /companies/{id}/ ("" for the overview). */
  slug: string;
  label: string;
  Screen: ComponentType<CompanySectionProps>;
}

export const COMPANY_SECTIONS: readonly CompanySection[] = [
  { slug: "", label: "Overview", Screen: CompanyOverview },
  // (sections: updates)
  // (sections: telemetry)
  // (sections: administration)
  // (sections: crm)
];
