// The screens of a company, in the order of its navigation: the overview first, then the daily
// work (projects), the fleet and its updates, and the administration. The overview is in the main
// bundle (it is where everyone lands); the others load when first opened.
import type { CompanyPermissionRef } from "@nexus/contracts";
import type { ComponentType } from "react";
import { lazyScreen } from "../../lib/lazy-screen.ts";
import { CompanyOverview } from "./overview.tsx";
import type { CompanySectionProps } from "./section.ts";

export interface CompanySection {
  /** The address segment after /companies/{id}/ ("" for the overview). */
  slug: string;
  label: string;
  Screen: ComponentType<CompanySectionProps>;
  /** Shown in the navigation only to roles that may hold this (the API still decides). */
  permission?: CompanyPermissionRef;
}

const screen = lazyScreen<CompanySectionProps>;

export const COMPANY_SECTIONS: readonly CompanySection[] = [
  { slug: "", label: "Overview", Screen: CompanyOverview },
  {
    slug: "pipeline",
    label: "Pipeline",
    Screen: screen(async () => (await import("./pipeline.tsx")).PipelineSection),
  },
  {
    slug: "projects",
    label: "Projects",
    Screen: screen(async () => (await import("./project.tsx")).ProjectsSection),
  },
  {
    slug: "documents",
    label: "Documents",
    Screen: screen(async () => (await import("./documents.tsx")).DocumentsSection),
    permission: { resource: "documents", action: "read" },
  },
  {
    slug: "machines",
    label: "Machines",
    Screen: screen(async () => (await import("./machines.tsx")).MachinesSection),
  },
  {
    slug: "releases",
    label: "Releases",
    Screen: screen(async () => (await import("./releases.tsx")).CompanyReleases),
  },
  {
    slug: "audit",
    label: "Audit log",
    Screen: screen(async () => (await import("./audit.tsx")).AuditSection),
  },
  {
    slug: "members",
    label: "Members",
    Screen: screen(async () => (await import("./members.tsx")).CompanyMembers),
  },
  {
    slug: "api-keys",
    label: "API keys",
    Screen: screen(async () => (await import("./api-keys.tsx")).CompanyApiKeys),
  },
  {
    slug: "webhooks",
    label: "Webhooks",
    Screen: screen(async () => (await import("./webhooks.tsx")).CompanyWebhooks),
  },
  {
    // No permission: everyone sets their own preferences here; the history needs notifications:read.
    slug: "notifications",
    label: "Notifications",
    Screen: screen(async () => (await import("./notifications.tsx")).CompanyNotifications),
  },
  {
    slug: "llm",
    label: "LLM",
    Screen: screen(async () => (await import("./llm.tsx")).CompanyLlm),
    permission: { resource: "llm", action: "read" },
  },
  {
    slug: "errors",
    label: "Errors",
    Screen: screen(async () => (await import("./errors.tsx")).CompanyErrors),
    permission: { resource: "errors", action: "read" },
  },
  {
    slug: "search",
    label: "Search",
    Screen: screen(async () => (await import("./search-report.tsx")).SearchReportSection),
    permission: { resource: "search", action: "analytics" },
  },
  {
    slug: "settings",
    label: "Settings",
    Screen: screen(async () => (await import("./settings.tsx")).CompanySettings),
  },
];
