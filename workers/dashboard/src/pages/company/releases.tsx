// A company's Releases section: the channel its installations update from, the versions they run,
// adoption over time, and the releases it receives with their rollout state and this company's
// update checks and downloads, and the releases' health (crash-free sessions and users).
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Card } from "../../components/card.tsx";
import { Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAsync } from "../../lib/use-async.ts";
import "../../styles/updates.css";
import { UpdateAdoptionCard, VersionBreakdown } from "./releases-adoption.tsx";
import { CompanyReleaseHealthPanel } from "./releases-health.tsx";
import { CompanyReleaseList } from "./releases-list.tsx";
import type { CompanySectionProps } from "./section.ts";

const ADOPTION_DAYS = 30;

export function CompanyReleases({ company }: CompanySectionProps) {
  const companyId = company.id;
  const received = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.listCompanyReleases, {
          params: { companyId },
          query: { days: ADOPTION_DAYS },
          signal,
        }),
      [companyId],
    ),
  );
  const adoption = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.appAdoption, { params: { companyId }, query: { days: ADOPTION_DAYS }, signal }),
      [companyId],
    ),
  );

  return (
    <>
      <div className="cards release-cards">
        <Card title="Update channel">
          <Loaded state={received} loading="Loading channel…">
            {(data) => (
              <>
                <p className="figure" data-testid="update-channel">
                  {data.update_channel}
                </p>
                <p className="muted small">
                  {data.granted_channels.length > 0
                    ? `Also allowed: ${data.granted_channels.join(", ")}`
                    : "Installations receive this channel's releases (and its parent channels')."}
                </p>
              </>
            )}
          </Loaded>
        </Card>
        <Card title="Pinned version">
          <Loaded state={received} loading="Loading…">
            {(data) => (
              <>
                <p className="figure">{data.pinned_version ?? "None"}</p>
                <p className="muted small">
                  {data.pinned_version
                    ? "No newer release is offered to this company."
                    : "Every new release is offered as it rolls out."}
                </p>
              </>
            )}
          </Loaded>
        </Card>
        <Card title="Versions in use">
          <VersionBreakdown adoption={adoption} />
        </Card>
      </div>

      <UpdateAdoptionCard adoption={adoption} days={ADOPTION_DAYS} />

      <CompanyReleaseList received={received} current={adoption.data?.current ?? []} days={ADOPTION_DAYS} />

      <CompanyReleaseHealthPanel companyId={companyId} />
    </>
  );
}
