// What a draft needs before it reaches anyone: its missing files, then publishing (optionally as a
// staged rollout from the start).
import { type Release, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { ErrorState } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { matchDeclaredFiles } from "../../../lib/upload-plan.ts";
import { useAction } from "../../../lib/use-action.ts";
import { BuildFilesInput, type PickedBuild } from "./build-files.tsx";
import { PercentInput } from "./rollout-controls.tsx";
import { UploadProgress, useUploads } from "./uploads.tsx";

export function UploadMissingPanel({ release, onUploaded }: { release: Release; onUploaded: () => void }) {
  const [picked, setPicked] = useState<PickedBuild>();
  const uploads = useUploads();
  const match = picked ? matchDeclaredFiles(picked.files, release.files) : undefined;
  const missing = release.files.filter((file) => !file.uploaded);
  const { run } = uploads;
  const upload = useAction(
    useCallback(async () => {
      if (!match) return;
      await run(
        release.id,
        match.uploads.map((entry) => ({ name: entry.name, blob: entry.source })),
      );
      setPicked(undefined);
      onUploaded();
    }, [match, run, release.id, onUploaded]),
  );

  return (
    <section className="panel" aria-labelledby="missing-files-heading">
      <h2 id="missing-files-heading">Upload the missing files</h2>
      <p>
        {missing.length} of {release.files.length} declared files are not uploaded yet:{" "}
        <span className="mono">{missing.map((file) => file.name).join(", ")}</span>
      </p>
      <BuildFilesInput
        label="Files to upload"
        hint="Pick them from the same build; files already uploaded or not declared are left out."
        onPicked={setPicked}
      />
      {match && match.problems.length > 0 && (
        <div className="state state-error" role="alert">
          <ul>
            {match.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {match && match.ignored.length > 0 && (
        <p className="muted small">Left out: {match.ignored.join(", ")}</p>
      )}
      <div className="updates-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={!match || match.uploads.length === 0 || match.problems.length > 0 || upload.pending}
          onClick={() => upload.run()}
        >
          {upload.pending
            ? "Uploading…"
            : `Upload ${match?.uploads.length ?? 0} file${match?.uploads.length === 1 ? "" : "s"}`}
        </button>
      </div>
      <UploadProgress items={uploads.items} />
      {upload.error !== undefined && <ErrorState error={upload.error} />}
    </section>
  );
}

export function PublishPanel({ release, onPublished }: { release: Release; onPublished: () => void }) {
  const [percent, setPercent] = useState(100);
  const missing = release.files.filter((file) => !file.uploaded).length;
  const publish = useAction(
    useCallback(async () => {
      await callApi(routes.publishRelease, {
        params: { releaseId: release.id },
        body: { rollout: { percent } },
      });
      onPublished();
    }, [release.id, percent, onPublished]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void publish.run();
  };

  return (
    <section className="panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publish</h2>
      <p className="muted">
        {missing > 0
          ? `Upload every file first (${missing} missing).`
          : `Everyone on ${release.channel} (and the channels that follow it) is offered ${release.version}, or the share you choose: a staged rollout can be widened later.`}
      </p>
      <form className="rollout-form" onSubmit={submit}>
        <PercentInput label="Start the rollout at" value={percent} onChange={setPercent} />
        <button type="submit" className="button button-primary" disabled={missing > 0 || publish.pending}>
          {publish.pending ? "Publishing…" : "Publish"}
        </button>
      </form>
      {publish.error !== undefined && <ErrorState error={publish.error} />}
    </section>
  );
}
