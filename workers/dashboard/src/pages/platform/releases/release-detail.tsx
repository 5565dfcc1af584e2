// One release: its files (and uploading those still missing from a draft), publishing, the rollout,
// yanking, its health and automatic halt, its settings, and its adoption.
import { type Release, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Card } from "../../../components/card.tsx";
import { Link } from "../../../components/link.tsx";
import { ErrorState, Loading } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { useAsync } from "../../../lib/use-async.ts";
import { useDocumentTitle } from "../../title.ts";
import { PublishPanel, UploadMissingPanel } from "./draft-panels.tsx";
import { ReleaseFilesTable } from "./files-table.tsx";
import { ReleaseSettings, YankPanel } from "./release-changes.tsx";
import { ReleaseHealthPanel } from "./release-health.tsx";
import { ReleaseStats } from "./release-stats.tsx";
import {
  formatBytes,
  ReleaseStatusBadge,
  ReleasesCrumb,
  RolloutBadge,
  releasePath,
  requirementText,
} from "./release-summary.tsx";
import { RolloutControls } from "./rollout-controls.tsx";

export function ReleaseDetail({ releaseId }: { releaseId: string }) {
  const state = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getRelease, { params: { releaseId }, signal }),
      [releaseId],
    ),
  );
  const release = state.data?.release;
  useDocumentTitle(release ? `Release ${release.version}` : "Release");

  if (state.error !== undefined && !release) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>Release</h1>
        <ErrorState error={state.error} onRetry={state.reload}>
          <Link className="button button-quiet" href={releasePath()}>
            Back to releases
          </Link>
        </ErrorState>
      </div>
    );
  }
  if (!release) return <Loading label="Loading release…" />;
  const missing = release.files.filter((file) => !file.uploaded);
  const requirement = requirementText(release);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <ReleasesCrumb />
          <h1 tabIndex={-1} className="release-title">
            {release.version} <ReleaseStatusBadge status={release.status} />
          </h1>
          <p className="muted">
            On <strong>{release.channel}</strong>
            {release.name ? ` · ${release.name}` : ""}
            {release.published_at ? ` · published ${formatDateTime(release.published_at)}` : ""}
          </p>
        </div>
        {state.loading && (
          <span className="muted small" role="status">
            Updating…
          </span>
        )}
      </div>

      {/* A failed reload keeps the last answer on screen, with the failure above it. */}
      {state.error !== undefined && <ErrorState error={state.error} onRetry={state.reload} />}
      <div className="cards release-cards">
        <Card title="Rollout">
          <p className="release-figure" data-testid="release-rollout">
            <RolloutBadge release={release} />
          </p>
        </Card>
        <Card title="Requirements">
          <p className="release-figure">{requirement ?? "None"}</p>
          <p className="muted small">
            {release.mandatory ? "Installed without asking." : "The app asks before installing."}
          </p>
        </Card>
        <Card title="Files">
          <p className="release-figure">
            {release.files.length - missing.length} of {release.files.length} uploaded
          </p>
          <p className="muted small">
            {formatBytes(release.files.reduce((sum, file) => sum + file.size, 0))} in all
          </p>
        </Card>
      </div>

      {release.status === "yanked" && (
        <div className="state state-error" role="note">
          <h2>Yanked {release.yanked_at ? formatDateTime(release.yanked_at) : ""}</h2>
          <p>{release.yanked_reason ?? "No reason given."} Nobody is offered this release any more.</p>
        </div>
      )}
      {release.status === "draft" && missing.length > 0 && (
        <UploadMissingPanel release={release} onUploaded={state.reload} />
      )}
      {release.status === "draft" && <PublishPanel release={release} onPublished={state.reload} />}
      {release.status === "published" && <RolloutControls release={release} onChanged={state.reload} />}
      {release.status !== "yanked" && <ReleaseHealthPanel release={release} onChanged={state.reload} />}
      <FilesTable release={release} />
      {release.status !== "draft" && <ReleaseStats release={release} />}
      {release.status !== "yanked" && <ReleaseSettings release={release} onSaved={state.reload} />}
      {release.status === "published" && <YankPanel release={release} onYanked={state.reload} />}
    </div>
  );
}

function FilesTable({ release }: { release: Release }) {
  return (
    <section className="panel" aria-labelledby="release-files-heading">
      <h2 id="release-files-heading">Files</h2>
      <p className="muted small">
        The feed lists each platform's artifacts in this order (the first is the one electron-updater
        installs) in the channel file it writes for each company.
      </p>
      <ReleaseFilesTable
        files={release.files}
        caption={`${release.files.length} files, ${formatBytes(release.files.reduce((sum, file) => sum + file.size, 0))}`}
        last={{
          title: "Stored",
          cell: (file) =>
            file.uploaded ? (
              <span className="badge badge-online">Uploaded</span>
            ) : (
              <span className="badge badge-offline">Missing</span>
            ),
        }}
      />
    </section>
  );
}
