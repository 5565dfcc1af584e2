// A new endpoint: its URL, an optional description and the events it receives. The API decides
// which URLs are allowed (only public https ones in production): its answer shows at the URL field.

import { NexusApiError } from "@nexus/client/errors";
import { routes, type WebhookEndpoint } from "@nexus/contracts";
import { type FormEvent, useCallback, useId, useState } from "react";
import { TextField } from "../../components/field.tsx";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { FormActions } from "./webhooks-confirm.tsx";
import { EventPicker, type SubscribableEventType } from "./webhooks-event-picker.tsx";

/** Failures that are about the URL itself, shown at its field rather than as a general error. */
function urlProblem(error: unknown): string | null {
  if (!(error instanceof NexusApiError)) return null;
  if (error.code === "WEBHOOK_URL_NOT_ALLOWED") return error.message;
  if (error.code === "VALIDATION_FAILED" && /\burl\b/.test(error.message)) return error.message;
  return null;
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export function EndpointForm({
  companyId,
  onCreated,
  onCancel,
}: {
  companyId: string;
  onCreated: (endpoint: WebhookEndpoint, secret: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [eventTypes, setEventTypes] = useState<SubscribableEventType[]>([]);
  const [checked, setChecked] = useState(false);

  const create = useAction(
    useCallback(
      () =>
        callApi(routes.createWebhookEndpoint, {
          params: { companyId },
          body: { url: url.trim(), description: description.trim() || undefined, event_types: eventTypes },
        }),
      [companyId, url, description, eventTypes],
    ),
  );

  const urlError =
    checked && !isAbsoluteUrl(url.trim())
      ? "Enter the full address, such as https://example.com/webhooks/nexus."
      : null;
  const eventsError = checked && eventTypes.length === 0 ? "Choose at least one event." : undefined;
  const apiUrlError = urlProblem(create.error);
  const shownUrlError = urlError ?? apiUrlError;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (!isAbsoluteUrl(url.trim()) || eventTypes.length === 0) return;
    const result = await create.run();
    if (result) onCreated(result.endpoint, result.secret);
  }

  return (
    <form className="endpoint-form" onSubmit={submit} noValidate aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>New endpoint</h3>
      <div className="field">
        <label htmlFor={`${id}-url`}>Endpoint URL</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/webhooks/nexus"
          value={url}
          onChange={(event) => {
            setUrl(event.target.value);
            if (apiUrlError) create.clearError();
          }}
          aria-invalid={shownUrlError ? true : undefined}
          aria-describedby={shownUrlError ? `${id}-url-error` : `${id}-url-hint`}
        />
        {shownUrlError ? (
          <p id={`${id}-url-error`} className="form-error" role="alert">
            {shownUrlError}
          </p>
        ) : (
          <p id={`${id}-url-hint`} className="muted small field-hint">
            Deliveries are POSTed here as JSON. Public https addresses only.
          </p>
        )}
      </div>
      <TextField
        maxLength={500}
        label="Description (optional)"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <EventPicker
        legend="Events to send"
        selected={eventTypes}
        onChange={setEventTypes}
        error={eventsError}
      />
      {create.error !== undefined && !apiUrlError && <ErrorState error={create.error} />}
      <FormActions
        label="Create endpoint"
        pendingLabel="Creating…"
        pending={create.pending}
        onCancel={onCancel}
      />
    </form>
  );
}
