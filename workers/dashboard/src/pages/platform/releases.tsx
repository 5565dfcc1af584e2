// The operators' Releases section: /platform/releases lists releases and channels,
// /platform/releases/new creates a release from a build's files, /platform/releases/{id} manages one
// (uploads, publishing, rollout, yanking) and shows its adoption.
import { NotFoundPage } from "../not-found.tsx";
import { useDocumentTitle } from "../title.ts";
import "../../styles/updates.css";
import { ChannelsPanel } from "./releases/channels.tsx";
import { NewRelease } from "./releases/new-release.tsx";
import { ReleaseDetail } from "./releases/release-detail.tsx";
import { ReleaseList } from "./releases/release-list.tsx";

export function PlatformReleases({ rest }: { rest: readonly string[] }) {
  const [first, ...more] = rest;
  if (more.length > 0) return <NotFoundPage />;
  if (first === "new") return <NewRelease />;
  // Keyed: nothing of one release's forms survives into another's page.
  if (first) return <ReleaseDetail key={first} releaseId={first} />;
  return <ReleasesHome />;
}

function ReleasesHome() {
  useDocumentTitle("Releases");
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Releases</h1>
          <p className="muted">
            Desktop app releases per channel: upload a build, publish it, and roll it out in stages.
          </p>
        </div>
      </div>
      <ReleaseList />
      <ChannelsPanel />
    </div>
  );
}
