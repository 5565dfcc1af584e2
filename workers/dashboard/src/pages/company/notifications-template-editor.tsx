// A workflow's template editor: pick a channel and locale, edit the subject and the Liquid body, and
// see it rendered by the API with a sample payload as you type (the preview route: the same engine
// and escaping as real sends; a template that does not parse shows Liquid's message and line).
// Saving makes a new version (roles with notifications:manage); earlier versions stay listed.
import { NexusApiError } from "@nexus/client/errors";
import {
  type NotificationChannel,
  type NotificationTemplate,
  type NotificationWorkflow,
  routes,
} from "@nexus/contracts";
import { useCallback, useId, useState } from "react";
import { Link } from "../../components/link.tsx";
import { ErrorState, Loaded, Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useDebounced } from "../../lib/timing.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import { CHANNEL_LABELS } from "./notifications-message.tsx";
import {
  localesOf,
  parsePayload,
  samplePayloadText,
  templateInUse,
  versionsOf,
} from "./notifications-template.ts";
import { companyPath } from "./section.ts";

const PREVIEW_DELAY_MS = 400;

export function TemplateEditor({
  companyId,
  workflow,
  canManage,
}: {
  companyId: string;
  workflow: NotificationWorkflow;
  canManage: boolean;
}) {
  const id = useId();
  const templates = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.listNotificationTemplates, {
          params: { companyId, workflowKey: workflow.key },
          signal,
        }),
      [companyId, workflow.key],
    ),
  );
  const [channel, setChannel] = useState<NotificationChannel>(workflow.channels[0] ?? "email");
  const [locale, setLocale] = useState("en");
  const [newLocale, setNewLocale] = useState("");
  const [savedVersion, setSavedVersion] = useState<number>();

  return (
    <section className="panel template-editor" aria-labelledby={`${id}-heading`}>
      <p>
        <Link href={companyPath(companyId, "notifications", "workflows")}>← All workflows</Link>
      </p>
      <h2 id={`${id}-heading`}>
        {workflow.name} <span className="mono muted small">{workflow.key}</span>
      </h2>
      <Loaded state={templates} loading="Loading templates…">
        {(list) => {
          const inUse = templateInUse(list, channel, locale);
          const versions = versionsOf(list, channel, locale);
          return (
            <>
              <div className="filters">
                <div className="field">
                  <label htmlFor={`${id}-channel`}>Channel</label>
                  <select
                    id={`${id}-channel`}
                    value={channel}
                    onChange={(event) => {
                      const chosen = workflow.channels.find((known) => known === event.target.value);
                      if (chosen) setChannel(chosen);
                      setSavedVersion(undefined);
                    }}
                  >
                    {workflow.channels.map((known) => (
                      <option key={known} value={known}>
                        {CHANNEL_LABELS[known]}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-locale`}>Locale</label>
                  <select
                    id={`${id}-locale`}
                    value={locale}
                    onChange={(event) => {
                      setLocale(event.target.value);
                      setSavedVersion(undefined);
                    }}
                  >
                    {localesOf(list, locale).map((known) => (
                      <option key={known} value={known}>
                        {known}
                      </option>
                    ))}
                  </select>
                </div>
                {canManage && (
                  <form
                    className="inline-form"
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(newLocale.trim())) {
                        setLocale(newLocale.trim());
                        setNewLocale("");
                      }
                    }}
                  >
                    <div className="field">
                      <label htmlFor={`${id}-new-locale`}>Another locale</label>
                      <input
                        id={`${id}-new-locale`}
                        value={newLocale}
                        placeholder="e.g. fr or pt-BR"
                        pattern="[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*"
                        onChange={(event) => setNewLocale(event.target.value)}
                      />
                    </div>
                    <button type="submit" className="button button-quiet">
                      Add
                    </button>
                  </form>
                )}
              </div>
              <p className="muted small">
                {inUse === undefined
                  ? "No template yet for this channel: write one."
                  : inUse.source === "built_in"
                    ? `Using the built-in default (${inUse.locale}).`
                    : `Using version ${inUse.version} (${inUse.locale}).`}
              </p>
              <TemplateForm
                // A new channel, locale or saved version starts the form from that template.
                key={`${channel}/${locale}/${inUse?.id ?? inUse?.locale ?? ""}`}
                companyId={companyId}
                workflowKey={workflow.key}
                channel={channel}
                locale={locale}
                initial={inUse}
                canManage={canManage}
                onSaved={(version) => {
                  setSavedVersion(version);
                  templates.reload();
                }}
              />
              <p role="status" className="small">
                {savedVersion !== undefined ? `Saved as version ${savedVersion}.` : ""}
              </p>
              {versions.length > 0 && <VersionList versions={versions} />}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function TemplateForm({
  companyId,
  workflowKey,
  channel,
  locale,
  initial,
  canManage,
  onSaved,
}: {
  companyId: string;
  workflowKey: string;
  channel: NotificationChannel;
  locale: string;
  initial: NotificationTemplate | undefined;
  canManage: boolean;
  onSaved: (version: number) => void;
}) {
  const id = useId();
  const hasSubject = channel !== "sms";
  const [subject, setSubject] = useState(initial?.subject ?? "");
  const [body, setBody] = useState(initial?.body ?? "");
  const [payloadText, setPayloadText] = useState(() => samplePayloadText(workflowKey));
  const payload = parsePayload(payloadText);

  const save = useAction(
    useCallback(async () => {
      const answer = await callApi(routes.saveNotificationTemplate, {
        params: { companyId, workflowKey, channel, locale },
        body: { subject: hasSubject && subject ? subject : null, body },
      });
      onSaved(answer.template.version);
    }, [companyId, workflowKey, channel, locale, hasSubject, subject, body, onSaved]),
  );
  const invalid = templateProblem(save.error);

  return (
    <div className="template-columns">
      <form
        className="template-form"
        aria-label="Template"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run();
        }}
      >
        {hasSubject && (
          <div className="field">
            <label htmlFor={`${id}-subject`}>{channel === "email" ? "Subject" : "Title"}</label>
            <input
              id={`${id}-subject`}
              value={subject}
              readOnly={!canManage}
              spellCheck={false}
              onChange={(event) => setSubject(event.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-body`}>Body (Liquid{channel === "email" ? ", HTML" : ""})</label>
          <textarea
            id={`${id}-body`}
            className="mono"
            rows={10}
            value={body}
            readOnly={!canManage}
            spellCheck={false}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
            onChange={(event) => setBody(event.target.value)}
          />
          {invalid && (
            <p className="form-error small" id={`${id}-invalid`} role="alert">
              {invalid}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-payload`}>Sample payload (JSON)</label>
          <textarea
            id={`${id}-payload`}
            className="mono"
            rows={6}
            value={payloadText}
            spellCheck={false}
            aria-invalid={"problem" in payload ? true : undefined}
            aria-describedby={"problem" in payload ? `${id}-payload-problem` : undefined}
            onChange={(event) => setPayloadText(event.target.value)}
          />
          {"problem" in payload && (
            <p className="form-error small" id={`${id}-payload-problem`}>
              {payload.problem}
            </p>
          )}
        </div>
        {canManage && (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.pending || !body.trim()}>
              {save.pending ? "Saving…" : "Save as a new version"}
            </button>
          </div>
        )}
        {save.error !== undefined && !invalid && <ErrorState error={save.error} />}
      </form>
      <TemplatePreview
        companyId={companyId}
        request={{
          workflow: workflowKey,
          channel,
          locale,
          subject: hasSubject ? subject : null,
          body,
          payload: "payload" in payload ? payload.payload : undefined,
        }}
      />
    </div>
  );
}

/** Liquid's complaint about a template (the API's 422), or undefined for any other failure. */
function templateProblem(error: unknown): string | undefined {
  return error instanceof NexusApiError && error.code === "NOTIFICATION_TEMPLATE_INVALID"
    ? error.message
    : undefined;
}

interface PreviewRequest {
  workflow: string;
  channel: NotificationChannel;
  locale: string;
  subject: string | null;
  body: string;
  /** Undefined while the typed payload is not a JSON object: nothing is sent. */
  payload: Record<string, unknown> | undefined;
}

function TemplatePreview({ companyId, request }: { companyId: string; request: PreviewRequest }) {
  const id = useId();
  // One request per pause in typing.
  const settled = useDebounced(JSON.stringify(request), PREVIEW_DELAY_MS);
  const preview = useAsync(
    useCallback(
      async (signal: AbortSignal) => {
        const asked = JSON.parse(settled) as PreviewRequest;
        if (!asked.payload || !asked.body.trim()) return undefined;
        return callApi(routes.previewNotificationTemplate, {
          params: { companyId },
          body: {
            workflow: asked.workflow,
            channel: asked.channel,
            locale: asked.locale,
            subject: asked.subject,
            body: asked.body,
            payload: asked.payload,
          },
          signal,
        });
      },
      [companyId, settled],
    ),
  );
  const problem = templateProblem(preview.error);
  return (
    <section className="template-preview" aria-labelledby={`${id}-heading`} aria-busy={preview.loading}>
      <h3 id={`${id}-heading`}>Preview</h3>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : preview.error !== undefined ? (
        <ErrorState error={preview.error} onRetry={preview.reload} />
      ) : preview.data === undefined ? (
        preview.loading ? (
          <Loading label="Rendering…" />
        ) : (
          <p className="muted small">Write a body and a sample payload to see it rendered.</p>
        )
      ) : (
        <>
          {preview.data.subject !== null && (
            <p className="template-preview-subject" data-testid="preview-subject">
              {preview.data.subject}
            </p>
          )}
          {request.channel === "email" ? (
            // Rendered HTML in a sandbox without scripts, same-origin access or forms.
            <iframe
              className="template-preview-email"
              title="Email preview"
              sandbox=""
              srcDoc={preview.data.body}
            />
          ) : (
            <p className="template-preview-text" data-testid="preview-body">
              {preview.data.body}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function VersionList({ versions }: { versions: readonly NotificationTemplate[] }) {
  return (
    <details className="template-versions">
      <summary>Versions ({versions.length})</summary>
      <ol reversed>
        {versions.map((version) => (
          <li key={version.id ?? version.version}>
            Version {version.version}
            {version.created_at && (
              <span className="muted small">
                {" "}
                · <time dateTime={version.created_at}>{formatDateTime(version.created_at)}</time>
              </span>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
