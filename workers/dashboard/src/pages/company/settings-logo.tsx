// The company's logo: an uploaded PNG, JPEG or WebP (kept inline as a data: URL, see
// packages/contracts/src/shared/logo.ts for why) or the https address of one the company hosts.
import { LOGO_DATA_URL_MAX_LENGTH, LOGO_MEDIA_TYPES } from "@nexus/contracts";
import { type ChangeEvent, useId, useState } from "react";

/** The largest file that fits once base64 makes it a third bigger (and the data: prefix is added). */
const MAX_FILE_BYTES = Math.floor((LOGO_DATA_URL_MAX_LENGTH - 64) * 0.75);
const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === "string" ? resolve(reader.result) : reject(reader.error));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function LogoField({
  value,
  error,
  onChange,
}: {
  /** "" for none, a data: URL or an https URL. */
  value: string;
  /** The form's check of `value` (the contracts' logo rule). */
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const uploaded = value.startsWith("data:");
  const shownError = fileError ?? error;

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const input = event.target;
    const file = input.files?.[0];
    // Cleared, so choosing the same file again after removing it still counts as a change.
    input.value = "";
    if (!file) return;
    setFileError(null);
    if (!(LOGO_MEDIA_TYPES as readonly string[]).includes(file.type)) {
      setFileError(`${file.name} is not a PNG, JPEG or WebP image (SVG logos are not accepted).`);
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      setFileError(
        `${file.name} is ${kib(file.size)}; logos up to ${kib(MAX_FILE_BYTES)} fit. Try a smaller export.`,
      );
      return;
    }
    try {
      onChange(await readAsDataUrl(file));
    } catch {
      setFileError(`${file.name} could not be read.`);
    }
  }

  return (
    <fieldset className="logo-field" aria-describedby={shownError ? `${id}-error` : undefined}>
      <legend>Logo</legend>
      <div className="logo-current">
        {value && !error ? (
          <img className="logo-preview" src={value} alt="Logo preview" />
        ) : (
          <span className="logo-placeholder muted small">No logo</span>
        )}
        <p className="muted small">
          {value === ""
            ? "Shown in the top bar of the dashboard and in the desktop apps."
            : uploaded
              ? `Uploaded image, ${kib(value.length * 0.75)}.`
              : "Loaded from the address below."}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload an image (PNG, JPEG or WebP, up to {kib(MAX_FILE_BYTES)})</label>
        <input id={`${id}-file`} type="file" accept={LOGO_MEDIA_TYPES.join(",")} onChange={pick} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Or the address of a hosted logo</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          placeholder="https://example.com/logo.png"
          value={uploaded ? "" : value}
          onChange={(event) => {
            setFileError(null);
            onChange(event.target.value.trim());
          }}
          aria-invalid={error && !uploaded ? true : undefined}
        />
      </div>
      {shownError && (
        <p id={`${id}-error`} className="form-error small">
          {shownError}
        </p>
      )}
      {value !== "" && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setFileError(null);
            onChange("");
          }}
        >
          Remove logo
        </button>
      )}
    </fieldset>
  );
}
