// One endpoint: where it points, what it receives, its state, and what can be done with it (test,
// edit events, enable/disable, rotate the secret, delete). One action at a time; deleting and
// rotating ask first.
import { routes, WEBHOOK_DELIVERY, type WebhookEndpoint } from "@nexus/contracts";
import { type MouseEvent, useCallback, useId, useRef, useState } from "react";
import { ConfirmQuestion } from "../../components/confirm-button.tsx";
import { Field } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { companyPath } from "./section.ts";
import { FormActions } from "./webhooks-confirm.tsx";
import { EventPicker, type SubscribableEventType } from "./webhooks-event-picker.tsx";
import { deliveryFiltersQuery } from "./webhooks-filters.ts";

type Mode = "idle" | "editing" | "rotating" | "deleting";

const OVERLAP_CHOICES = [
  { hours: 0, label: "No overlap: the old secret stops now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: WEBHOOK_DELIVERY.maxRotationOverlapHours, label: "7 days" },
] as const;

export function EndpointCard({
  companyId,
  endpoint,
  onChanged,
  onDeleted,
  onSecret,
}: {
  companyId: string;
  endpoint: WebhookEndpoint;
  /** The endpoint changed or is gone: load the list again. */
  onChanged: () => void;
  onDeleted: () => void;
  onSecret: (secret: string) => void;
}) {
  const id = useId();
  const [mode, setMode] = useState<Mode>("idle");
  const [notice, setNotice] = useState<string | null>(null);
  const [eventTypes, setEventTypes] = useState<SubscribableEventType[]>(endpoint.event_types);
  const [overlapHours, setOverlapHours] = useState(24);
  const opener = useRef<HTMLButtonElement | null>(null);
  const params = { companyId, endpointId: endpoint.id };

  // Every button's call goes through one action: one at a time, its failure shown below the card.
  const action = useAction(useCallback((run: () => Promise<string | null>) => run(), []));

  const open = (next: Mode) => (event: { currentTarget: HTMLButtonElement }) => {
    opener.current = event.currentTarget;
    action.clearError();
    setNotice(null);
    if (next === "editing") setEventTypes(endpoint.event_types);
    setMode(next);
  };
  const close = () => {
    setMode("idle");
    // Back to the button that opened the prompt, so the keyboard user is where they were.
    requestAnimationFrame(() => opener.current?.focus());
  };

  /** Runs one call; on success shows its message, closes any prompt and reloads the list. */
  async function perform(run: () => Promise<string | null>): Promise<boolean> {
    setNotice(null);
    const message = await action.run(run);
    if (message === undefined) return false;
    setNotice(message);
    setMode("idle");
    onChanged();
    return true;
  }

  const sendTest = () =>
    perform(async () => {
      await callApi(routes.testWebhookEndpoint, { params });
      return "Test event queued.";
    });
  const setEnabled = (enabled: boolean) =>
    perform(async () => {
      await callApi(routes.updateWebhookEndpoint, { params, body: { enabled } });
      return enabled ? "Endpoint enabled." : "Endpoint disabled: no deliveries until it is enabled again.";
    });
  const saveEvents = async () => {
    const saved = await perform(async () => {
      await callApi(routes.updateWebhookEndpoint, { params, body: { event_types: eventTypes } });
      return "Events saved.";
    });
    // The form is gone with its buttons: back to "Edit events".
    if (saved) close();
  };
  const rotate = () =>
    perform(async () => {
      const result = await callApi(routes.rotateWebhookSecret, {
        params,
        body: { overlap_hours: overlapHours },
      });
      onSecret(result.secret);
      return null;
    });
  const remove = async () => {
    const done = await action.run(async () => {
      await callApi(routes.deleteWebhookEndpoint, { params });
      return null;
    });
    if (done !== undefined) onDeleted();
  };

  const confirmation =
    mode === "rotating"
      ? {
          question: "Replace the signing secret? Your receiver needs the new one.",
          confirmLabel: "Rotate secret",
          onConfirm: rotate,
          options: (
            <Field label="Keep signing with the old secret too for">
              {(fieldId) => (
                <select
                  id={fieldId}
                  value={overlapHours}
                  onChange={(event) => setOverlapHours(Number(event.target.value))}
                >
                  {OVERLAP_CHOICES.map((choice) => (
                    <option key={choice.hours} value={choice.hours}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ),
        }
      : mode === "deleting"
        ? {
            question: "Delete this endpoint? Deliveries to it stop, and this cannot be undone.",
            confirmLabel: "Delete endpoint",
            onConfirm: remove,
            options: null,
          }
        : null;

  const buttons: { label: string; onClick: (event: MouseEvent<HTMLButtonElement>) => void; danger?: true }[] =
    [
      { label: "Send test event", onClick: sendTest },
      { label: "Edit events", onClick: open("editing") },
      { label: endpoint.enabled ? "Disable" : "Enable", onClick: () => setEnabled(!endpoint.enabled) },
      { label: "Rotate secret", onClick: open("rotating") },
      { label: "Delete", onClick: open("deleting"), danger: true },
    ];

  const deliveriesHref = `${companyPath(companyId, "webhooks", "deliveries")}${deliveryFiltersQuery({ endpointId: endpoint.id })}`;

  return (
    <article className="endpoint" aria-labelledby={`${id}-url`}>
      <div className="endpoint-header">
        <h3 id={`${id}-url`} className="mono break">
          {endpoint.url}
        </h3>
        {endpoint.enabled ? (
          <span className="badge badge-online">
            <span className="dot" aria-hidden="true" />
            Enabled
          </span>
        ) : (
          <span className="badge badge-inactive">
            <span className="dot" aria-hidden="true" />
            Disabled
          </span>
        )}
      </div>
      {endpoint.description && <p className="endpoint-description">{endpoint.description}</p>}
      <dl className="endpoint-facts small">
        {!endpoint.enabled && endpoint.disabled_reason && (
          <div>
            <dt>Why disabled</dt>
            <dd>{endpoint.disabled_reason}</dd>
          </div>
        )}
        {endpoint.failing_since && (
          <div>
            <dt>Failing since</dt>
            <dd>
              <time dateTime={endpoint.failing_since}>{formatDateTime(endpoint.failing_since)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>Events</dt>
          <dd>
            <ul className="chips">
              {endpoint.event_types.map((type) => (
                <li key={type} className="chip mono">
                  {type}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Signing secret</dt>
          <dd>
            <span className="mono">{endpoint.secret_prefix}…</span>
            {endpoint.previous_secret_expires_at && (
              <span className="muted">
                {" "}
                (the previous one also signs until{" "}
                <time dateTime={endpoint.previous_secret_expires_at}>
                  {formatDateTime(endpoint.previous_secret_expires_at)}
                </time>
                )
              </span>
            )}
          </dd>
        </div>
      </dl>

      {mode === "idle" && (
        <div className="endpoint-actions">
          {buttons.map((button) => (
            <button
              key={button.label}
              type="button"
              className={button.danger ? "button button-danger-quiet" : "button"}
              onClick={button.onClick}
              disabled={action.pending}
            >
              {button.label}
            </button>
          ))}
          <Link className="button button-quiet" href={deliveriesHref}>
            Deliveries
          </Link>
        </div>
      )}

      {mode === "editing" && (
        <form
          className="endpoint-edit"
          onSubmit={(event) => {
            event.preventDefault();
            if (eventTypes.length > 0) void saveEvents();
          }}
        >
          <EventPicker
            legend="Events to send"
            selected={eventTypes}
            onChange={setEventTypes}
            error={eventTypes.length === 0 ? "Choose at least one event." : undefined}
          />
          <FormActions
            label="Save events"
            pendingLabel="Saving…"
            pending={action.pending}
            disabled={eventTypes.length === 0}
            onCancel={close}
          />
        </form>
      )}

      {confirmation && (
        <ConfirmQuestion
          key={mode}
          focus="cancel"
          question={confirmation.question}
          confirmLabel={confirmation.confirmLabel}
          pending={action.pending}
          onConfirm={confirmation.onConfirm}
          onCancel={close}
        >
          {confirmation.options}
        </ConfirmQuestion>
      )}

      <p role="status" className="endpoint-notice small">
        {notice}
        {notice === "Test event queued." && (
          <>
            {" "}
            <Link href={deliveriesHref}>Follow it in the delivery log</Link>
          </>
        )}
      </p>
      {action.error !== undefined && <ErrorState error={action.error} />}
    </article>
  );
}
