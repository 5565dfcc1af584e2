// One company's overview: who is online, versions and operating systems in use, the installations
// table, all kept current by the company's live channel. Everything is loaded by the company id in
// the URL and scoped by the API; an id the user may not see shows an error and nothing else.
import { type Company, routes, type ServerMessage } from "@nexus/contracts";
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { Breakdown } from "../components/breakdown.tsx";
import { InstallationsTable } from "../components/installations-table.tsx";
import { Link } from "../components/link.tsx";
import { ErrorState, Loaded, Loading } from "../components/states.tsx";
import { callApi } from "../lib/api.ts";
import { brandOf } from "../lib/branding.ts";
import {
  countBy,
  type Installation,
  installationStatus,
  type PresenceStatus,
} from "../lib/installation-status.ts";
import { useLiveChannel } from "../lib/live.ts";
import { useNow } from "../lib/timing.ts";
import { useAsync } from "../lib/use-async.ts";
import { useDocumentTitle } from "./title.ts";

/** Enough for the figures of any company this slice targets; beyond it they cover the newest ones. */
const MAX_SEAT_HOLDER_PAGES = 10;
const SEAT_HOLDER_PAGE_SIZE = 200;

export function CompanyPage({ companyId }: { companyId: string }) {
  const company = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getCompany, { params: { companyId }, signal }),
      [companyId],
    ),
  );
  useDocumentTitle(company.data?.company.company_name ?? "Company");
  useBranding(company.data?.company.settings);

  if (company.error !== undefined) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>Company</h1>
        <ErrorState error={company.error} onRetry={company.reload}>
          <Link className="button button-quiet" href="/">
            Back to your companies
          </Link>
        </ErrorState>
      </div>
    );
  }
  if (!company.data) return <Loading label="Loading company…" />;
  return <CompanyOverview company={company.data.company} />;
}

/** Applies the company's primary color to the page while it is shown. */
function useBranding(settings: Record<string, unknown> | undefined) {
  const brand = settings ? brandOf(settings) : null;
  const color = brand?.color;
  const contrast = brand?.contrast;
  useEffect(() => {
    if (!color || !contrast) return;
    const style = document.documentElement.style;
    style.setProperty("--brand", color);
    style.setProperty("--brand-contrast", contrast);
    return () => {
      style.removeProperty("--brand");
      style.removeProperty("--brand-contrast");
    };
  }, [color, contrast]);
}

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

function CompanyOverview({ company }: { company: Company }) {
  const companyId = company.id;
  const now = useNow();
  const [presence, setPresence] = useState<ReadonlyMap<string, PresenceStatus>>(new Map());
  const [refreshKey, setRefreshKey] = useState(0);

  const seatHolders = useAsync(
    useCallback((signal: AbortSignal) => loadSeatHolders(companyId, signal), [companyId]),
  );
  const adoption = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.appAdoption, { params: { companyId }, query: { days: 30 }, signal }),
      [companyId],
    ),
  );
  const known = seatHolders.data?.installations;

  const onLiveMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type !== "installation.presence") return;
      setPresence((previous) => new Map(previous).set(message.installation_id, message.status));
      // An installation the page has not listed yet (it joined after the page loaded): load it.
      if (!known?.some((installation) => installation.id === message.installation_id)) {
        setRefreshKey((key) => key + 1);
      }
    },
    [known],
  );
  const live = useLiveChannel(companyId, onLiveMessage);

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

  const active = known ?? [];
  const online = active.filter(
    (installation) => installationStatus(installation, presence.get(installation.id), now) === "online",
  ).length;
  const versions = (adoption.data?.current ?? []).map((row) => ({
    label: row.app_version ?? "unknown",
    count: row.installations,
  }));
  const systems = countBy(active, (installation) => installation.os_version ?? "unknown");

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>{company.company_name}</h1>
          <p className="muted">
            Company code <strong className="mono">{company.company_code}</strong> ·{" "}
            <span className="capitalize">{company.subscription_tier}</span>
            {company.suspended && <span className="badge badge-inactive">Suspended</span>}
          </p>
        </div>
        <p className={`live live-${live}`} role="status">
          <span className="dot" aria-hidden="true" />
          {LIVE_LABELS[live]}
        </p>
      </div>

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
          <Loaded state={adoption} loading="Loading versions…">
            {() =>
              versions.length === 0 ? (
                <p className="muted">No versions reported yet.</p>
              ) : (
                <Breakdown
                  label="Installations by app version"
                  rows={versions}
                  total={versions.reduce((sum, row) => sum + row.count, 0)}
                />
              )
            }
          </Loaded>
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

      <InstallationsTable
        companyId={companyId}
        companyCode={company.company_code}
        versions={versions.map((row) => row.label).filter((label) => label !== "unknown")}
        presence={presence}
        now={now}
        refreshKey={refreshKey}
      />
    </div>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
