// Where an audit entry's target is shown in the dashboard, and what kind of thing it is. The API
// names the target (target_label); the paths are the dashboard's own, so they are mapped here.
import { companyPath } from "./section.ts";

interface AuditTarget {
  target_type: string | null;
  target_id: string | null;
}

export const TARGET_KINDS: Record<string, string | undefined> = {
  installation: "Installation",
  machine: "Machine",
  api_key: "API key",
  member: "Member",
  invitation: "Invitation",
  webhook_endpoint: "Webhook endpoint",
  webhook_delivery: "Webhook delivery",
  company: "Company",
  document: "Document",
  project: "Project",
  showroom: "Showroom",
  pipeline: "Pipeline",
  llm_provider_key: "LLM provider key",
  release: "Release",
  channel: "Update channel",
  rate_limit: "Rate limit",
  registration_token: "Registration token",
  dead_letter: "Dead letter",
  inbound_webhook: "Inbound webhook",
  user: "User",
};

export const targetKind = (type: string): string => TARGET_KINDS[type] ?? type;

/** The screen that shows the target, if the dashboard has one. */
export function auditTargetPath(companyId: string, entry: AuditTarget): string | undefined {
  const id = entry.target_id;
  if (!id) return undefined;
  switch (entry.target_type) {
    // The overview lists the company's installations.
    case "installation":
      return companyPath(companyId);
    case "company":
      return id === companyId ? companyPath(companyId) : undefined;
    case "machine":
      return companyPath(companyId, "machines", id);
    case "project":
      return companyPath(companyId, "projects", id);
    case "api_key":
      return companyPath(companyId, "api-keys");
    case "member":
    case "invitation":
      return companyPath(companyId, "members");
    case "webhook_endpoint":
      return companyPath(companyId, "webhooks");
    case "webhook_delivery":
      return companyPath(companyId, "webhooks", "deliveries");
    case "pipeline":
      return companyPath(companyId, "pipeline");
    case "llm_provider_key":
      return companyPath(companyId, "llm");
    default:
      return undefined;
  }
}
