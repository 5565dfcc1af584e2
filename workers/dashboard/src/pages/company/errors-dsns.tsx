// The company's error-tracking projects, one DSN each: the DSN to paste into the app's
// Sentry.init (with a copy button), the app and platform, what was ingested today and over 7 days,
// and — with errors:manage — creating, renaming and revoking (behind a confirmation: the app's
// events are refused from then on, its issues stay).
import { type ErrorProject, type ErrorProjectApp, ErrorProjectAppSchema, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { CopyButton } from "../../components/copy-button.tsx";
import { SelectField, TextField } from "../../components/field.tsx";
import { EmptyState, ErrorState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { APP_LABELS, formatCount } from "./errors-data.ts";
import { ListTable } from "./members-parts.tsx";

/** Sentry's platform names the apps of this product use; any other can be typed. */
const PLATFORM_SUGGESTIONS = ["electron", "javascript", "node", "react-native", "android", "cocoa"];

/** A DSN with its copy button; the outcome is announced. */
function CopyText({ text, label }: { text: string; label: string }) {
  return (
    <span className="errors-copy" role="status">
      <code className="errors-dsn">{text}</code>
      <CopyButton text={text} label={label} className="button button-quiet" />
    </span>
  );
}

export function ErrorProjects({
  companyId,
  projects,
  manage,
}: {
  companyId: string;
  projects: AsyncState<ErrorProject[]>;
  manage: boolean;
}) {
  const [creating, setCreating] = useState(false);
  const [renamingId, setRenamingId] = useState<number>();
  const [done, setDone] = useState<string>();
  const { reload } = projects;
  const revoke = useAction(
    useCallback(
      async (project: ErrorProject) => {
        await callApi(routes.revokeErrorProject, { params: { companyId, errorProjectId: project.id } });
        setDone(`“${project.name}”'s DSN is revoked: its events are refused from now on.`);
        reload();
      },
      [companyId, reload],
    ),
  );

  return (
    <>
      <div className="panel errors-intro">
        <div>
          <h2>DSNs</h2>
          <p className="muted small">
            Point an app's Sentry SDK at a project's DSN (<code>Sentry.init({"{ dsn }"})</code>) and its
            errors and sessions come here. Desktop app projects also feed the release health of the releases
            Nexus Central serves.
          </p>
        </div>
        {manage && !creating && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDone(undefined);
              setCreating(true);
            }}
          >
            New project
          </button>
        )}
      </div>
      {creating && (
        <CreateProjectForm
          companyId={companyId}
          onCancel={() => setCreating(false)}
          onCreated={(project) => {
            setCreating(false);
            setDone(`“${project.name}” is created: copy its DSN below.`);
            reload();
          }}
        />
      )}
      <section className="panel" aria-labelledby="error-projects-heading">
        <h2 id="error-projects-heading">Projects</h2>
        <p className="muted small errors-status-line" role="status">
          {done}
        </p>
        {revoke.error !== undefined && <ErrorState error={revoke.error} />}
        <Loaded state={projects} loading="Loading projects…">
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No projects yet">
                <p>
                  {manage ? "Create one for each app that reports errors." : "An admin creates one per app."}
                </p>
              </EmptyState>
            ) : (
              <ListTable
                caption="The company's error-tracking projects"
                columns={
                  <>
                    <th scope="col">Project</th>
                    <th scope="col">DSN</th>
                    <th scope="col" className="numeric">
                      Today
                    </th>
                    <th scope="col" className="numeric wide-only">
                      7 days
                    </th>
                    {manage && <th scope="col">Actions</th>}
                  </>
                }
              >
                {list.map((project) => (
                  <tr key={project.id} data-testid="error-project-row">
                    <th scope="row">
                      {renamingId === project.id ? (
                        <RenameForm
                          companyId={companyId}
                          project={project}
                          onCancel={() => setRenamingId(undefined)}
                          onRenamed={(renamed) => {
                            setRenamingId(undefined);
                            setDone(`Renamed to “${renamed.name}”; the DSN is unchanged.`);
                            reload();
                          }}
                        />
                      ) : (
                        <span className="admin-name">{project.name}</span>
                      )}
                      <span className="muted small block">
                        {APP_LABELS[project.app]} · {project.platform} · #{project.id}
                      </span>
                      {project.revoked_at && (
                        <span className="badge badge-inactive">
                          Revoked {formatDateTime(project.revoked_at)}
                        </span>
                      )}
                    </th>
                    <td>
                      {project.revoked_at ? (
                        <span className="muted">Refused since it was revoked</span>
                      ) : (
                        <CopyText text={project.dsn} label={`the DSN of ${project.name}`} />
                      )}
                    </td>
                    <td className="numeric">
                      <IngestCounts counts={project.stats.today} />
                    </td>
                    <td className="numeric wide-only">
                      <IngestCounts counts={project.stats.last_7_days} />
                    </td>
                    {manage && (
                      <td className="errors-row-actions">
                        {!project.revoked_at && renamingId !== project.id && (
                          <>
                            <button
                              type="button"
                              className="button button-quiet"
                              onClick={() => {
                                setDone(undefined);
                                setRenamingId(project.id);
                              }}
                            >
                              Rename<span className="visually-hidden"> {project.name}</span>
                            </button>
                            <ConfirmButton
                              className="button button-quiet"
                              label={
                                <>
                                  Revoke<span className="visually-hidden"> {project.name}</span>
                                </>
                              }
                              question={`Revoke “${project.name}”'s DSN? Apps using it can no longer report; this cannot be undone.`}
                              confirmLabel="Yes, revoke"
                              pending={revoke.pending}
                              onConfirm={() => {
                                setDone(undefined);
                                return revoke.run(project);
                              }}
                            />
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </ListTable>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

const counted = (value: number, one: string, many: string): string =>
  `${formatCount(value)} ${value === 1 ? one : many}`;

function IngestCounts({ counts }: { counts: ErrorProject["stats"]["today"] }) {
  return (
    <>
      <span className="block">{counted(counts.events, "event", "events")}</span>
      <span className="muted small block">{counted(counts.sessions, "session", "sessions")}</span>
      {counts.malformed > 0 && (
        <span className="muted small block">{formatCount(counts.malformed)} malformed</span>
      )}
      {counts.rate_limited > 0 && (
        <span className="muted small block">{formatCount(counts.rate_limited)} rate limited</span>
      )}
    </>
  );
}

function CreateProjectForm({
  companyId,
  onCancel,
  onCreated,
}: {
  companyId: string;
  onCancel: () => void;
  onCreated: (project: ErrorProject) => void;
}) {
  const [name, setName] = useState("");
  const [app, setApp] = useState<ErrorProjectApp>("desktop");
  const [platform, setPlatform] = useState("electron");
  const create = useAction(
    useCallback(async () => {
      const { project } = await callApi(routes.createErrorProject, {
        params: { companyId },
        body: { name, app, platform },
      });
      onCreated(project);
    }, [companyId, name, app, platform, onCreated]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <form className="panel errors-form" aria-label="New error-tracking project" onSubmit={submit}>
      <h2>New project</h2>
      <div className="errors-fields">
        <TextField
          label="Name"
          value={name}
          required
          maxLength={100}
          autoFocus
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label="App"
          value={app}
          choices={ErrorProjectAppSchema.options.map((value) => ({ value, label: APP_LABELS[value] }))}
          onChange={setApp}
        />
        <TextField
          label="Platform"
          value={platform}
          required
          maxLength={64}
          list="error-platforms"
          onChange={(event) => setPlatform(event.target.value)}
        />
        <datalist id="error-platforms">
          {PLATFORM_SUGGESTIONS.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
      </div>
      <div className="errors-action-buttons">
        <button type="submit" className="button button-primary" disabled={create.pending}>
          {create.pending ? "Creating…" : "Create project"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {create.error !== undefined && <ErrorState error={create.error} />}
    </form>
  );
}

function RenameForm({
  companyId,
  project,
  onCancel,
  onRenamed,
}: {
  companyId: string;
  project: ErrorProject;
  onCancel: () => void;
  onRenamed: (project: ErrorProject) => void;
}) {
  const [name, setName] = useState(project.name);
  const rename = useAction(
    useCallback(async () => {
      const answer = await callApi(routes.updateErrorProject, {
        params: { companyId, errorProjectId: project.id },
        body: { name },
      });
      onRenamed(answer.project);
    }, [companyId, project.id, name, onRenamed]),
  );
  return (
    <form
      className="errors-rename"
      aria-label={`Rename ${project.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        void rename.run();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <TextField
        label="New name"
        value={name}
        required
        maxLength={100}
        autoFocus
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="button button-primary" disabled={rename.pending}>
        Save
      </button>
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Cancel
      </button>
      {rename.error !== undefined && <ErrorState error={rename.error} />}
    </form>
  );
}
