// The company's LLM gateway (section "LLM", for roles with llm:read): its providers and own keys,
// the policy (models and their fallback targets, budgets, limits, cache, what the log keeps), usage
// and cost over time against this month's budget, and the call log. Changes need llm:manage.
import { Link } from "../../components/link.tsx";
import { EmptyState, Loading } from "../../components/states.tsx";
import "../../styles/llm.css";
import { LlmCallLog } from "./llm-calls.tsx";
import { useLlmData } from "./llm-data.ts";
import { LlmKeys } from "./llm-keys.tsx";
import { LlmPolicyForm } from "./llm-policy.tsx";
import { LlmUsage } from "./llm-usage.tsx";
import { useCompanyAccess } from "./members-access.ts";
import { mayTry } from "./members-roles.ts";
import { type CompanySectionProps, companyPath } from "./section.ts";

const VIEWS = [
  { slug: "", label: "Providers and keys" },
  { slug: "policy", label: "Policy" },
  { slug: "usage", label: "Usage and cost" },
  { slug: "calls", label: "Call log" },
] as const;

export function CompanyLlm({ company, rest }: CompanySectionProps) {
  const companyId = company.id;
  const data = useLlmData(companyId);
  const access = useCompanyAccess(companyId);
  const [slug = "", ...extra] = rest;
  const view = VIEWS.find((candidate) => candidate.slug === slug);
  if (!view || extra.length > 0) {
    return (
      <EmptyState title="There is nothing at this address">
        <Link className="button" href={companyPath(companyId, "llm")}>
          Go to the LLM gateway
        </Link>
      </EmptyState>
    );
  }
  if (access === undefined) return <Loading label="Loading the LLM gateway…" />;
  const manage = mayTry(access, { resource: "llm", action: "manage" });

  return (
    <div className="llm">
      <nav className="subtabs" aria-label="LLM gateway">
        {VIEWS.map((candidate) => (
          <Link
            key={candidate.slug}
            href={companyPath(companyId, "llm", ...(candidate.slug ? [candidate.slug] : []))}
            aria-current={candidate === view ? "page" : undefined}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      {view.slug === "" && <LlmKeys companyId={companyId} data={data} manage={manage} />}
      {view.slug === "policy" && <LlmPolicyForm companyId={companyId} data={data} manage={manage} />}
      {view.slug === "usage" && <LlmUsage companyId={companyId} data={data} />}
      {view.slug === "calls" && <LlmCallLog companyId={companyId} data={data} />}
    </div>
  );
}
