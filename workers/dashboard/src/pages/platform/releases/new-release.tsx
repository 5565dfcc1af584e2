// Creating a release from a build: the operator picks electron-builder's output, the page declares
// its files (sizes and sha512s from the channel files, or computed here), creates the draft, uploads
// every file with progress, then opens the draft to publish it.
import { type Release, routes, type UpdatePlatform } from "@nexus/contracts";
import { type FormEvent, useCallback, useMemo, useState } from "react";
import { Field, TextField } from "../../../components/field.tsx";
import { Link } from "../../../components/link.tsx";
import { ErrorState } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { useChannels } from "../../../lib/channels.ts";
import { navigate } from "../../../lib/router.ts";
import {
  declaredFile,
  PLATFORMS,
  type PlannedFile,
  planReleaseFiles,
  type ReleasePlan,
  sha512Base64,
} from "../../../lib/upload-plan.ts";
import { useAction } from "../../../lib/use-action.ts";
import { useDocumentTitle } from "../../title.ts";
import { BuildFilesInput, type PickedBuild } from "./build-files.tsx";
import { ReleaseFilesTable } from "./files-table.tsx";
import { EMPTY_RELEASE_TEXT, type ReleaseText, ReleaseTextFields } from "./release-fields.tsx";
import { ReleasesCrumb, releasePath } from "./release-summary.tsx";
import { UploadProgress, useUploads } from "./uploads.tsx";

type Plan = ReleasePlan<File>;
type Overrides = ReadonlyMap<string, UpdatePlatform>;

/** The artifact a file belongs to (itself, or the artifact of a blockmap). */
const artifactOf = (file: PlannedFile<File>) =>
  file.kind === "blockmap" ? file.name.slice(0, -".blockmap".length) : file.name;

/** The plan with the operator's platform choices for the files no channel file describes. */
function withPlatforms(plan: Plan, overrides: Overrides): Plan {
  return {
    ...plan,
    files: plan.files.map((file) =>
      file.listed ? file : { ...file, platform: overrides.get(artifactOf(file)) ?? file.platform },
    ),
  };
}

export function NewRelease() {
  useDocumentTitle("New release");
  const channels = useChannels();
  const [channel, setChannel] = useState("stable");
  const [version, setVersion] = useState("");
  const [text, setText] = useState<ReleaseText>(EMPTY_RELEASE_TEXT);
  const [build, setBuild] = useState<PickedBuild>();
  const [overrides, setOverrides] = useState<Overrides>(new Map());
  const [phase, setPhase] = useState("");
  const [draft, setDraft] = useState<Release>();
  const uploads = useUploads();

  const plan = useMemo(
    () => (build ? withPlatforms(planReleaseFiles(build.files, build.channelFiles), overrides) : undefined),
    [build, overrides],
  );
  const problems = [...(build?.problems ?? []), ...(plan?.problems ?? [])];
  const ready = plan !== undefined && plan.files.length > 0 && problems.length === 0;

  const picked = (next: PickedBuild) => {
    setBuild(next);
    setOverrides(new Map());
    // What the channel files say fills the fields the operator has left empty.
    const described = planReleaseFiles(next.files, next.channelFiles);
    if (described.version) setVersion((typed) => typed || (described.version ?? ""));
    setText((typed) => ({
      ...typed,
      name: typed.name || (described.name ?? ""),
      notes: typed.notes || (described.notes ?? ""),
    }));
  };

  const { run: upload } = uploads;
  const create = useAction(
    useCallback(async () => {
      if (!plan) return;
      setDraft(undefined);
      setPhase("Computing checksums…");
      const files = [];
      for (const file of plan.files) {
        files.push(declaredFile({ ...file, sha512: file.sha512 ?? (await sha512Base64(file.source)) }));
      }
      setPhase("Creating the draft…");
      const { release } = await callApi(routes.createRelease, {
        body: {
          channel,
          version: version.trim(),
          name: text.name.trim() || undefined,
          notes: text.notes.trim() || undefined,
          minimum_version: text.minimumVersion.trim() || undefined,
          mandatory: text.mandatory,
          files,
        },
      });
      setDraft(release);
      setPhase(`Uploading the files of ${release.version}…`);
      await upload(
        release.id,
        plan.files.map((file) => ({ name: file.name, blob: file.source })),
      );
      navigate(releasePath(release.id));
    }, [plan, channel, version, text, upload]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <ReleasesCrumb />
          <h1 tabIndex={-1}>New release</h1>
          <p className="muted">
            Pick the build's files from electron-builder's output folder: the installers, their blockmaps and
            the latest*.yml channel files (read for the checksums; Nexus Central writes each company's channel
            file itself).
          </p>
        </div>
      </div>

      <form className="panel release-form" onSubmit={submit} aria-label="New release">
        <ReleaseTextFields value={text} onChange={setText}>
          <Field label="Channel">
            {(id) => (
              <select id={id} value={channel} onChange={(event) => setChannel(event.target.value)}>
                {(channels.data?.channels ?? [{ name: "stable" }]).map((option) => (
                  <option key={option.name} value={option.name}>
                    {option.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField
            label="Version"
            value={version}
            required
            placeholder="1.5.0"
            onChange={(event) => setVersion(event.target.value)}
          />
        </ReleaseTextFields>

        <BuildFilesInput
          label="Build files"
          hint="Select several files at once (Ctrl or Shift)."
          onPicked={picked}
        />
        {problems.length > 0 && (
          <div className="state state-error" role="alert">
            <h2>Check the picked files</h2>
            <ul>
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
        {plan && plan.files.length > 0 && (
          <PlanTable
            plan={plan}
            onPlatform={(artifact, platform) => setOverrides(new Map(overrides).set(artifact, platform))}
          />
        )}

        <div className="updates-actions">
          <button type="submit" className="button button-primary" disabled={!ready || create.pending}>
            {create.pending ? "Working…" : "Create and upload"}
          </button>
          {create.pending && <span role="status">{phase}</span>}
        </div>
        <UploadProgress items={uploads.items} />
        {create.error !== undefined && (
          <ErrorState error={create.error}>
            {draft && (
              <Link className="button" href={releasePath(draft.id)}>
                Open the draft of {draft.version} to upload the rest
              </Link>
            )}
          </ErrorState>
        )}
      </form>
    </div>
  );
}

function PlanTable({
  plan,
  onPlatform,
}: {
  plan: Plan;
  onPlatform: (artifact: string, platform: UpdatePlatform) => void;
}) {
  return (
    <ReleaseFilesTable
      files={plan.files}
      caption={`${plan.files.length} files to declare${plan.channelFiles.length > 0 ? `, described by ${plan.channelFiles.join(", ")}` : ""}`}
      platformCell={(file) =>
        file.listed || file.kind === "blockmap" ? (
          file.platform
        ) : (
          <select
            aria-label={`Platform of ${file.name}`}
            value={file.platform}
            onChange={(event) => onPlatform(file.name, event.target.value as UpdatePlatform)}
          >
            {PLATFORMS.map((platform) => (
              <option key={platform} value={platform}>
                {platform}
              </option>
            ))}
          </select>
        )
      }
      last={{
        title: "sha512",
        cell: (file) => (
          <span className="muted small">
            {file.sha512 ? "from the channel file" : "computed before upload"}
          </span>
        ),
      }}
    />
  );
}
