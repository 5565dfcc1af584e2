// Branding: the primary color (a color picker and its hex value, kept in step), a warning when it
// reads badly, the logo, and a preview of both before anything is saved.
import { useId } from "react";
import { brandOf, colorContrastWarning, DEFAULT_BRAND_COLOR, normalizeHexColor } from "../../lib/branding.ts";
import { LogoField } from "./settings-logo.tsx";
import type { DraftErrors, SettingsDraft } from "./settings-model.ts";

export function BrandingFields({
  companyName,
  draft,
  errors,
  onChange,
}: {
  companyName: string;
  draft: SettingsDraft;
  errors: Pick<DraftErrors, "primaryColor" | "logoUrl">;
  onChange: (change: Partial<SettingsDraft>) => void;
}) {
  const id = useId();
  const color = normalizeHexColor(draft.primaryColor);
  const warning = color ? colorContrastWarning(color) : null;
  const described = [errors.primaryColor && `${id}-color-error`, warning && `${id}-color-warning`]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="branding">
      <div className="branding-fields">
        <fieldset className="color-field">
          <legend>Primary color</legend>
          <div className="color-inputs">
            <div className="field">
              <label htmlFor={`${id}-picker`}>Color</label>
              <input
                id={`${id}-picker`}
                type="color"
                value={color ?? DEFAULT_BRAND_COLOR}
                onChange={(event) => onChange({ primaryColor: event.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-hex`}>Hex value</label>
              <input
                id={`${id}-hex`}
                className="mono"
                value={draft.primaryColor}
                placeholder={`${DEFAULT_BRAND_COLOR} (default)`}
                spellCheck={false}
                autoComplete="off"
                onChange={(event) => onChange({ primaryColor: event.target.value })}
                aria-invalid={errors.primaryColor ? true : undefined}
                aria-describedby={described || undefined}
              />
            </div>
            {draft.primaryColor !== "" && (
              <button
                type="button"
                className="button button-quiet"
                onClick={() => onChange({ primaryColor: "" })}
              >
                Use the default
              </button>
            )}
          </div>
          {errors.primaryColor && (
            <p id={`${id}-color-error`} className="form-error small">
              {errors.primaryColor}
            </p>
          )}
          {warning && (
            <p id={`${id}-color-warning`} className="contrast-warning small">
              <strong>Low contrast.</strong> {warning}
            </p>
          )}
        </fieldset>
        <LogoField
          value={draft.logoUrl}
          error={errors.logoUrl}
          onChange={(logoUrl) => onChange({ logoUrl })}
        />
      </div>
      <BrandPreview companyName={companyName} color={color} logo={errors.logoUrl ? "" : draft.logoUrl} />
    </div>
  );
}

/** The top bar and a piece of page as they will look; drawn, not interactive. */
function BrandPreview({
  companyName,
  color,
  logo,
}: {
  companyName: string;
  color: string | null;
  logo: string;
}) {
  const brand = brandOf({ primary_color: color ?? DEFAULT_BRAND_COLOR });
  const background = brand?.color ?? DEFAULT_BRAND_COLOR;
  const text = brand?.contrast ?? "#ffffff";
  return (
    <figure className="brand-preview">
      <figcaption className="small muted">Preview</figcaption>
      <div aria-hidden="true">
        <div className="preview-topbar" style={{ background, color: text }}>
          <strong>Nexus Central</strong>
          {logo && <img src={logo} alt="" className="preview-logo" />}
          <span className="preview-nav">Companies</span>
        </div>
        <div className="preview-page">
          <p className="preview-title">{companyName}</p>
          <p className="small">
            A <span style={{ color: background, textDecoration: "underline" }}>link in this color</span> on
            the page.
          </p>
          <span className="preview-button" style={{ background, color: text }}>
            Primary button
          </span>
        </div>
      </div>
    </figure>
  );
}
