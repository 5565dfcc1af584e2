// Changing a release after it was created: its name, notes, minimum version and mandatory flag,
// and withdrawing (yanking) it once published.
import { type Release, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useMemo, useState } from "react";
import { ConfirmQuestion } from "../../../components/confirm-button.tsx";
import { TextField } from "../../../components/field.tsx";
import { ErrorState } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { useAction } from "../../../lib/use-action.ts";
import { type ReleaseText, ReleaseTextFields } from "./release-fields.tsx";

const textOf = (release: Release): ReleaseText => ({
  name: release.name ?? "",
  notes: release.notes ?? "",
  minimumVersion: release.minimum_version ?? "",
  mandatory: release.mandatory,
});

export function ReleaseSettings({ release, onSaved }: { release: Release; onSaved: () => void }) {
  const [text, setText] = useState(() => textOf(release));
  const [saved, setSaved] = useState(false);
  // Only what changed is sent (the API refuses an empty change).
  const changes = useMemo(() => {
    const before = textOf(release);
    return {
      ...(text.name.trim() !== before.name ? { name: text.name.trim() || null } : {}),
      ...(text.notes !== before.notes ? { notes: text.notes || null } : {}),
      ...(text.minimumVersion.trim() !== before.minimumVersion
        ? { minimum_version: text.minimumVersion.trim() || null }
        : {}),
      ...(text.mandatory !== before.mandatory ? { mandatory: text.mandatory } : {}),
    };
  }, [release, text]);
  const changed = Object.keys(changes).length > 0;
  const save = useAction(
    useCallback(async () => {
      await callApi(routes.updateRelease, { params: { releaseId: release.id }, body: changes });
      setSaved(true);
      onSaved();
    }, [release.id, changes, onSaved]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void save.run();
  };

  return (
    <form className="panel release-form" onSubmit={submit} aria-labelledby="release-settings-heading">
      <h2 id="release-settings-heading">Settings</h2>
      <ReleaseTextFields value={text} onChange={setText} />
      <div className="updates-actions">
        <button type="submit" className="button" disabled={!changed || save.pending}>
          {save.pending ? "Saving…" : "Save changes"}
        </button>
        {saved && !changed && (
          <span className="muted" role="status">
            Saved.
          </span>
        )}
      </div>
      {save.error !== undefined && <ErrorState error={save.error} />}
    </form>
  );
}

export function YankPanel({ release, onYanked }: { release: Release; onYanked: () => void }) {
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const yank = useAction(
    useCallback(async () => {
      await callApi(routes.yankRelease, {
        params: { releaseId: release.id },
        body: { reason: reason.trim() },
      });
      setConfirming(false);
      onYanked();
    }, [release.id, reason, onYanked]),
  );
  const ask = (event: FormEvent) => {
    event.preventDefault();
    yank.clearError();
    setConfirming(true);
  };

  return (
    <section className="panel release-danger-zone" aria-labelledby="yank-heading">
      <h2 id="yank-heading">Yank</h2>
      <p className="muted">
        Withdraws {release.version}: nobody is offered it again, and it cannot be published again (publish a
        new version instead). Installations that have it keep it.
      </p>
      <form className="filters" onSubmit={ask}>
        <TextField
          label="Reason"
          value={reason}
          required
          maxLength={500}
          onChange={(event) => setReason(event.target.value)}
        />
        <button
          id="yank-button"
          type="submit"
          className="button updates-button-danger-quiet"
          aria-expanded={confirming}
        >
          Yank…
        </button>
      </form>
      {confirming && (
        <ConfirmQuestion
          question={`Yank ${release.version} on ${release.channel}? This cannot be undone.`}
          confirmLabel="Yank the release"
          pending={yank.pending}
          error={yank.error}
          onConfirm={() => yank.run()}
          onCancel={() => setConfirming(false)}
          returnFocusTo="yank-button"
        />
      )}
    </section>
  );
}
