// A company's outbound webhooks (section "Webhooks"): its endpoints at /webhooks, the delivery log at
// /webhooks/deliveries. Both read the endpoint list, loaded once here.
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Link } from "../../components/link.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAsync } from "../../lib/use-async.ts";
import "../../styles/settings.css";
import { type CompanySectionProps, companyPath } from "./section.ts";
import { WebhookDeliveries } from "./webhooks-deliveries.tsx";
import { WebhookEndpoints } from "./webhooks-endpoints.tsx";

const VIEWS = [
  { slug: "", label: "Endpoints" },
  { slug: "deliveries", label: "Delivery log" },
] as const;

export function CompanyWebhooks({ company, rest }: CompanySectionProps) {
  const companyId = company.id;
  const endpoints = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.listWebhookEndpoints, { params: { companyId }, signal })).endpoints,
      [companyId],
    ),
  );
  const [slug = "", ...extra] = rest;
  const view = VIEWS.find((candidate) => candidate.slug === slug);
  if (!view || extra.length > 0) {
    return (
      <EmptyState title="There is nothing at this address">
        <Link className="button" href={companyPath(companyId, "webhooks")}>
          Go to the webhook endpoints
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="webhooks">
      <nav className="subtabs" aria-label="Webhooks">
        {VIEWS.map((candidate) => (
          <Link
            key={candidate.slug}
            href={companyPath(companyId, "webhooks", ...(candidate.slug ? [candidate.slug] : []))}
            aria-current={candidate === view ? "page" : undefined}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      {view.slug === "" ? (
        <WebhookEndpoints companyId={companyId} endpoints={endpoints} />
      ) : (
        <WebhookDeliveries companyId={companyId} endpoints={endpoints.data ?? []} />
      )}
    </div>
  );
}
