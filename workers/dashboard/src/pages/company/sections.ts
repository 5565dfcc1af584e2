// The screens of a company, in the order of its navigation: the overview first, then the daily
// work (projects), the fleet and its updates, and the administration.
import type { ComponentType } from "react";
import { CompanyApiKeys } from "./api-keys.tsx";
import { AuditSection } from "./audit.tsx";
import { MachinesSection } from "./machines.tsx";
import { CompanyMembers } from "./members.tsx";
import { CompanyOverview } from "./overview.tsx";
import { PipelineSection } from "./pipeline.tsx";
import { ProjectsSection } from "./project.tsx";
import { CompanyReleases } from "./releases.tsx";
import type { CompanySectionProps } from "./section.ts";
import { CompanySettings } from "./settings.tsx";
import { CompanyWebhooks } from "./webhooks.tsx";

export interface CompanySection {
  /** The address segment after /companies/{id}/ ("" for the overview). */
  slug: string;
  label: string;
  Screen: ComponentType<CompanySectionProps>;
}

export const COMPANY_SECTIONS: readonly CompanySection[] = [
  { slug: "", label: "Overview", Screen: CompanyOverview },
  { slug: "pipeline", label: "Pipeline", Screen: PipelineSection },
  { slug: "projects", label: "Projects", Screen: ProjectsSection },
  { slug: "machines", label: "Machines", Screen: MachinesSection },
  { slug: "releases", label: "Releases", Screen: CompanyReleases },
  { slug: "audit", label: "Audit log", Screen: AuditSection },
  { slug: "members", label: "Members", Screen: CompanyMembers },
  { slug: "api-keys", label: "API keys", Screen: CompanyApiKeys },
  { slug: "webhooks", label: "Webhooks", Screen: CompanyWebhooks },
  { slug: "settings", label: "Settings", Screen: CompanySettings },
];
