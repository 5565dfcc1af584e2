// A company's settings (section "Settings"): branding and the free-form keys its apps read, saved
// as one change. The API bumps settings_version and its hub pushes `settings.changed` to the
// installations connected to the live channel; the others see it at their next heartbeat.
import { type Company, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useRef, useState } from "react";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import "../../styles/settings.css";
import type { CompanySectionProps } from "./section.ts";
import { BrandingFields } from "./settings-branding.tsx";
import { SettingFields } from "./settings-fields.tsx";
import {
  type DraftErrors,
  draftFrom,
  hasErrors,
  pushedText,
  type SettingsDraft,
  settingsFromDraft,
  settingsPatch,
  validateDraft,
} from "./settings-model.ts";

const NO_ERRORS: DraftErrors = { rows: {} };

export function CompanySettings({ company, reloadCompany }: CompanySectionProps) {
  const companyId = company.id;
  // What the draft started from: only the differences to it are sent.
  const [base, setBase] = useState(() => ({ settings: company.settings, version: company.settings_version }));
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(company.settings));
  const [submitted, setSubmitted] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const summary = useRef<HTMLParagraphElement>(null);

  const errors = validateDraft(draft);
  const shownErrors = submitted ? errors : NO_ERRORS;
  // A refused logo shows at once (it arrives whole, pasted or uploaded); a color only once submitted,
  // not while its hex value is half typed.
  const brandingErrors = { primaryColor: shownErrors.primaryColor, logoUrl: errors.logoUrl };
  const patch = hasErrors(errors) ? null : settingsPatch(base.settings, settingsFromDraft(draft));
  const dirty = hasErrors(errors) || patch !== null;

  const save = useAction(
    useCallback(
      (settings: Record<string, unknown>) =>
        callApi(routes.updateSettings, { params: { companyId }, body: { settings, mode: "merge" } }),
      [companyId],
    ),
  );

  const change = (next: Partial<SettingsDraft>) => {
    setOutcome(null);
    setDraft((current) => ({ ...current, ...next }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setOutcome(null);
    if (hasErrors(errors)) {
      // The summary renders with this update; focus it once it is there.
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    if (!patch) {
      setOutcome("Nothing changed.");
      return;
    }
    const result = await save.run(patch);
    if (!result) return;
    const saved: Company = result.company;
    setBase({ settings: saved.settings, version: saved.settings_version });
    setDraft(draftFrom(saved.settings));
    setSubmitted(false);
    setOutcome(`Saved (version ${saved.settings_version}). ${pushedText(result.pushed_to)}`);
    // The shell applies the new color and logo from the company it holds.
    reloadCompany();
  }

  const errorCount =
    (errors.primaryColor ? 1 : 0) + (errors.logoUrl ? 1 : 0) + Object.keys(errors.rows).length;

  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label="Company settings">
      <p className="muted">
        Settings version <strong data-testid="settings-version">{base.version}</strong>. The desktop apps
        apply these on their next start, heartbeat or live update.
      </p>

      <section className="panel" aria-labelledby="branding-heading">
        <h2 id="branding-heading">Branding</h2>
        <BrandingFields
          companyName={company.company_name}
          draft={draft}
          errors={brandingErrors}
          onChange={change}
        />
      </section>

      <section className="panel" aria-labelledby="app-settings-heading">
        <h2 id="app-settings-heading">App settings</h2>
        <p className="muted small">
          Any other keys your apps read, with a text, number, yes/no or JSON value.
        </p>
        <SettingFields rows={draft.rows} errors={shownErrors.rows} onChange={(rows) => change({ rows })} />
      </section>

      <div className="save-bar">
        {submitted && hasErrors(errors) && (
          <p className="form-error" tabIndex={-1} ref={summary} role="alert">
            {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention before saving.
          </p>
        )}
        {save.error !== undefined && <ErrorState error={save.error} />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.pending}>
            {save.pending ? "Saving…" : "Save settings"}
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={!dirty || save.pending}
            onClick={() => {
              setDraft(draftFrom(base.settings));
              setSubmitted(false);
              save.clearError();
            }}
          >
            Discard changes
          </button>
          <p role="status" className="save-outcome">
            {outcome ?? (dirty ? "Unsaved changes." : "")}
          </p>
        </div>
      </div>
    </form>
  );
}
