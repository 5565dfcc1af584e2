// A company's overview: who is online, versions and operating systems in use, and the
// installations table, all kept current by the company's live channel.
import { installationStatus, routes, type ServerMessage } from "@nexus/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { Breakdown } from "../../components/breakdown.tsx";
import { Card } from "../../components/card.tsx";
import { InstallationsTable } from "../../components/installations-table.tsx";
import { Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useCompanyLive } from "../../lib/company-live.tsx";
import { countBy, type Installation, type InstallationPresence } from "../../lib/installation-status.ts";
import { useNow } from "../../lib/timing.ts";
import { useAsync } from "../../lib/use-async.ts";
import { UpdateAdoptionCard, VersionBreakdown, versionCounts } from "./releases-adoption.tsx";
import type { CompanySectionProps } from "./section.ts";

/** Enough for the figures of any company this slice targets; beyond it they cover the newest ones. */
const MAX_SEAT_HOLDER_PAGES = 10;
const SEAT_HOLDER_PAGE_SIZE = 200;
const ADOPTION_DAYS = 30;

async function loadSeatHolders(companyId: string, signal: AbortSignal) {
  const installations: Installation[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_SEAT_HOLDER_PAGES; page++) {
    const result = await callApi(routes.listInstallations, {
      params: { companyId },
      query: { status: "active", limit: SEAT_HOLDER_PAGE_SIZE, cursor },
      signal,
    });
    installations.push(...result.installations);
    if (!result.next_cursor) return { installations, complete: true };
    cursor = result.next_cursor;
  }
  return { installations, complete: false };
}

const LIVE_LABELS = {
  connecting: "Connecting to live updates…",
  open: "Live",
  reconnecting: "Reconnecting to live updates…",
  stopped: "Live updates off",
} as const;

export function CompanyOverview({ company, reloadCompany }: CompanySectionProps) {
  const companyId = company.id;
  const now = useNow();
  const [presence, setPresence] = useState<ReadonlyMap<string, InstallationPresence>>(new Map());
  const [refreshKey, setRefreshKey] = useState(0);

  const seatHolders = useAsync(
    useCallback((signal: AbortSignal) => loadSeatHolders(companyId, signal), [companyId]),
  );
  const adoption = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.appAdoption, { params: { companyId }, query: { days: ADOPTION_DAYS }, signal }),
      [companyId],
    ),
  );
  const known = seatHolders.data?.installations;

  const onLiveMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type !== "installation.presence") return;
      setPresence((previous) => {
        // An offline or dead message says nothing of heartbeats: keep the last one the hub sent.
        const lastHeartbeat =
          message.last_heartbeat_at ?? previous.get(message.installation_id)?.last_heartbeat_at;
        return new Map(previous).set(message.installation_id, {
          ...message,
          last_heartbeat_at: lastHeartbeat,
        });
      });
      // An installation the page has not listed yet (it joined after the page loaded): load it.
      if (!known?.some((installation) => installation.id === message.installation_id)) {
        setRefreshKey((key) => key + 1);
      }
    },
    [known],
  );
  const { state: live, refusal: liveRefusal } = useCompanyLive(onLiveMessage);

  // Presence sent while the channel was down is lost: after a reconnect, read the list again.
  const openedBefore = useRef(false);
  useEffect(() => {
    if (live !== "open") return;
    if (openedBefore.current) setRefreshKey((key) => key + 1);
    openedBefore.current = true;
  }, [live]);

  const { reload: reloadSeatHolders } = seatHolders;
  const { reload: reloadAdoption } = adoption;
  useEffect(() => {
    if (refreshKey === 0) return;
    reloadSeatHolders();
    reloadAdoption();
  }, [refreshKey, reloadSeatHolders, reloadAdoption]);

  // A deactivation frees a seat: the figures follow (the table reloads itself).
  const onDeactivated = useCallback(() => {
    reloadSeatHolders();
    reloadAdoption();
    reloadCompany();
  }, [reloadSeatHolders, reloadAdoption, reloadCompany]);

  const active = known ?? [];
  const online = active.filter(
    (installation) => installationStatus(installation, presence.get(installation.id), now) === "online",
  ).length;
  const versions = versionCounts(adoption.data?.current ?? []);
  const systems = countBy(active, (installation) => installation.os_version ?? "unknown");

  return (
    <>
      <p className={`live live-${liveRefusal ? "refused" : live}`} role="status">
        <span className="dot" aria-hidden="true" />
        {liveRefusal ?? LIVE_LABELS[live]}
      </p>

      <div className="cards">
        <Card title="Online now">
          <Loaded state={seatHolders} loading="Counting…">
            {({ complete }) => (
              <>
                <p className="figure" data-testid="online-count">
                  {online}
                </p>
                <p className="muted small">
                  of {active.length} installation{active.length === 1 ? "" : "s"} holding a seat
                  {complete ? "" : ` (newest ${active.length} counted)`}
                </p>
              </>
            )}
          </Loaded>
        </Card>
        <Card title="Seats">
          <p className="figure">
            {/* The company record counts seats when the page loads; the list follows live changes. */}
            {seatHolders.data?.complete ? active.length : company.active_installations}
            <span className="figure-of"> / {company.max_installations}</span>
          </p>
          <p className="muted small">in use</p>
        </Card>
        <Card title="By version">
          <VersionBreakdown adoption={adoption} />
        </Card>
        <Card title="By operating system">
          <Loaded state={seatHolders} loading="Loading systems…">
            {() =>
              systems.length === 0 ? (
                <p className="muted">No installations yet.</p>
              ) : (
                <Breakdown label="Installations by operating system" rows={systems} total={active.length} />
              )
            }
          </Loaded>
        </Card>
      </div>

      <UpdateAdoptionCard adoption={adoption} days={ADOPTION_DAYS} />

      <InstallationsTable
        companyId={companyId}
        companyCode={company.company_code}
        versions={versions.map((row) => row.label).filter((label) => label !== "unknown")}
        presence={presence}
        now={now}
        refreshKey={refreshKey}
        onDeactivated={onDeactivated}
      />
    </>
  );
}
