// The source maps uploaded for a project, by release (read-only: builds upload them from CI with the
// command shown here), which turn minified stack frames back into the original file and line.
import { type ErrorProject, routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { FilterSelect, SelectField } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { type AsyncState, useAsync } from "../../lib/use-async.ts";
import { formatBytes } from "../platform/releases/release-summary.tsx";
import { ListTable } from "./members-parts.tsx";

/** The API's origin, from the DSN (the SDKs send there; the dashboard's own origin only proxies). */
function apiOrigin(project: ErrorProject): string {
  try {
    return new URL(project.dsn).origin;
  } catch {
    return window.location.origin;
  }
}

/**
 * The upload, as a build script runs it: the `nexus` CLI uploads every map of the build folder (with a
 * company API key that has errors:manage in NEXUS_API_KEY), named after the minified files under `~/`.
 */
export function uploadCommand(companyId: string, project: ErrorProject, release: string): string {
  const quoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  return [
    `NEXUS_API_URL=${apiOrigin(project)} npx nexus sourcemaps upload dist \\`,
    `  --company ${quoted(companyId)} --project ${project.id} --release ${quoted(release)}`,
  ].join("\n");
}

export function SourceMaps({
  companyId,
  projects,
}: {
  companyId: string;
  projects: AsyncState<ErrorProject[]>;
}) {
  return (
    <section className="panel" aria-labelledby="source-maps-heading">
      <h2 id="source-maps-heading">Source maps</h2>
      <p className="muted small">
        With a release's source maps, stack traces of that release show the original file, line and source
        instead of the minified bundle. Upload them from the build, before the release ships; uploading a map
        again replaces it.
      </p>
      <Loaded state={projects} loading="Loading projects…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No projects yet">
              <p>Create a project under DSNs first.</p>
            </EmptyState>
          ) : (
            <ProjectMaps companyId={companyId} projects={list} />
          )
        }
      </Loaded>
    </section>
  );
}

function ProjectMaps({ companyId, projects }: { companyId: string; projects: readonly ErrorProject[] }) {
  const first = projects.find((project) => !project.revoked_at) ?? projects[0];
  const [projectId, setProjectId] = useState(String(first?.id ?? ""));
  const [release, setRelease] = useState<string>();
  const project = projects.find((candidate) => String(candidate.id) === projectId) ?? first;
  const maps = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        project
          ? await callApi(routes.listSourceMaps, {
              params: { companyId, errorProjectId: project.id },
              signal,
            })
          : { success: true as const, source_maps: [], truncated: false },
      [companyId, project],
    ),
  );
  if (!project) return null;
  const releases = [...new Set((maps.data?.source_maps ?? []).map((map) => map.release))];
  const shown = (maps.data?.source_maps ?? []).filter(
    (map) => release === undefined || map.release === release,
  );

  return (
    <>
      <search className="filters">
        <SelectField
          label="Project"
          value={String(project.id)}
          choices={projects.map((candidate) => ({ value: String(candidate.id), label: candidate.name }))}
          onChange={(value) => {
            setProjectId(value);
            setRelease(undefined);
          }}
        />
        <FilterSelect
          label="Release"
          value={release}
          options={releases.map((value) => ({ value, label: value }))}
          onChange={setRelease}
        />
      </search>
      <Loaded state={maps} loading="Loading source maps…">
        {(data) =>
          shown.length === 0 ? (
            <EmptyState title="No source maps for this project yet" />
          ) : (
            <>
              <ListTable
                caption={`Source maps of ${project.name}, newest upload first`}
                columns={
                  <>
                    <th scope="col">Release</th>
                    <th scope="col">Minified file</th>
                    <th scope="col" className="numeric">
                      Size
                    </th>
                    <th scope="col" className="wide-only">
                      SHA-256
                    </th>
                    <th scope="col">Uploaded</th>
                  </>
                }
              >
                {shown.map((map) => (
                  <tr key={`${map.release} ${map.name}`} data-testid="source-map-row">
                    <th scope="row" className="mono">
                      {map.release}
                    </th>
                    <td className="mono">{map.name}</td>
                    <td className="numeric">{formatBytes(map.size)}</td>
                    <td className="wide-only mono small" title={map.sha256}>
                      {map.sha256.slice(0, 12)}…
                    </td>
                    <td className="small">{formatDateTime(map.uploaded_at)}</td>
                  </tr>
                ))}
              </ListTable>
              {data.truncated && (
                <p className="muted small">Only the 1,000 newest are listed: choose a release.</p>
              )}
            </>
          )
        }
      </Loaded>
      <h3>Uploading</h3>
      <p className="muted small">
        One request per map: <code>release</code> is the SDK's <code>release</code> exactly, <code>name</code>{" "}
        the URL (or <code>~/path</code>) the app loads the minified file from.
      </p>
      <pre className="errors-command" data-testid="source-map-command">
        {uploadCommand(companyId, project, release ?? releases[0] ?? "desktop@1.0.0")}
      </pre>
    </>
  );
}
