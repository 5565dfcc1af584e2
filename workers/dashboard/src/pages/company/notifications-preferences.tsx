// "My notification preferences": the signed-in person's own settings in this company — which
// categories reach them on which channel (a grid of switches; critical workflows arrive anyway),
// their time zone, and quiet hours during which non-critical email, SMS and push wait. Saved whole.
import {
  type NotificationPreference,
  type NotificationPreferences,
  type PutNotificationPreferencesRequest,
  routes,
} from "@nexus/contracts";
import { useCallback, useId, useState } from "react";
import { ErrorState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import { CHANNEL_LABELS } from "./notifications-message.tsx";
import {
  browserTimeZone,
  categoryLabel,
  isEnabled,
  timeZoneChoices,
  withCell,
} from "./notifications-preferences-model.ts";

const DEFAULT_QUIET = { start: "22:00", end: "07:00" };

export function NotificationPreferencesView({ companyId }: { companyId: string }) {
  const stored = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getNotificationPreferences, { params: { companyId }, signal }),
      [companyId],
    ),
  );
  return (
    <Loaded state={stored} loading="Loading your preferences…">
      {(preferences) => <PreferencesForm companyId={companyId} stored={preferences} />}
    </Loaded>
  );
}

function PreferencesForm({ companyId, stored }: { companyId: string; stored: NotificationPreferences }) {
  const id = useId();
  const [settings, setSettings] = useState<NotificationPreference[]>(stored.preferences);
  const [timeZone, setTimeZone] = useState(stored.time_zone);
  const [quiet, setQuiet] = useState(stored.quiet_start !== null && stored.quiet_end !== null);
  const [quietStart, setQuietStart] = useState(stored.quiet_start ?? DEFAULT_QUIET.start);
  const [quietEnd, setQuietEnd] = useState(stored.quiet_end ?? DEFAULT_QUIET.end);
  const [saved, setSaved] = useState(false);
  const zones = timeZoneChoices(timeZone);
  const here = browserTimeZone();

  const save = useAction(
    useCallback(
      async (body: PutNotificationPreferencesRequest) => {
        // The grid shows what the API kept (it may tidy the set).
        const kept = await callApi(routes.putNotificationPreferences, { params: { companyId }, body });
        setSettings(kept.preferences);
        setSaved(true);
      },
      [companyId],
    ),
  );

  const submit = () => {
    setSaved(false);
    void save.run({
      time_zone: timeZone,
      quiet_start: quiet ? quietStart : null,
      quiet_end: quiet ? quietEnd : null,
      preferences: settings,
    });
  };
  const edited = () => setSaved(false);

  return (
    <form
      className="panel notification-preferences"
      aria-labelledby={`${id}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2 id={`${id}-heading`}>My notification preferences</h2>
      <p className="muted small">
        Yours alone, in this company. Critical notifications (marked below) reach you whatever you choose
        here.
      </p>

      {stored.categories.length === 0 ? (
        <p className="muted">This company's workflows have no categories yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="preferences-grid">
            <caption>What reaches you, by category and channel</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                {stored.channels.map((channel) => (
                  <th key={channel} scope="col">
                    {CHANNEL_LABELS[channel]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {stored.categories.map((category) => (
                <tr key={category.category}>
                  <th scope="row">
                    {categoryLabel(category.category)}
                    {category.critical && <span className="badge badge-inactive">Critical</span>}
                    <span className="muted small block">{category.workflows.join(", ")}</span>
                  </th>
                  {stored.channels.map((channel) => (
                    <td key={channel}>
                      <input
                        type="checkbox"
                        aria-label={`${categoryLabel(category.category)} by ${CHANNEL_LABELS[channel]}`}
                        checked={isEnabled(settings, category.category, channel)}
                        onChange={(event) => {
                          setSettings(withCell(settings, category.category, channel, event.target.checked));
                          edited();
                        }}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <fieldset className="preferences-time">
        <legend>Time zone and quiet hours</legend>
        <div className="field">
          <label htmlFor={`${id}-zone`}>Time zone</label>
          <select
            id={`${id}-zone`}
            value={timeZone}
            onChange={(event) => {
              setTimeZone(event.target.value);
              edited();
            }}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          {timeZone !== here && (
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => {
                setTimeZone(here);
                edited();
              }}
            >
              Use this browser's ({here})
            </button>
          )}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={quiet}
            onChange={(event) => {
              setQuiet(event.target.checked);
              edited();
            }}
          />{" "}
          Quiet hours: hold email, SMS and push until they end
        </label>
        <div className="filters">
          {(
            [
              ["Quiet from", quietStart, setQuietStart],
              ["Quiet until", quietEnd, setQuietEnd],
            ] as const
          ).map(([label, value, set]) => (
            <div className="field" key={label}>
              <label htmlFor={`${id}-${label}`}>{label}</label>
              <input
                id={`${id}-${label}`}
                type="time"
                value={value}
                disabled={!quiet}
                required={quiet}
                onChange={(event) => {
                  set(event.target.value);
                  edited();
                }}
              />
            </div>
          ))}
        </div>
        <p className="muted small">
          In {timeZone}. A window may cross midnight (22:00 until 07:00); in-app notifications and critical
          ones are not held.
        </p>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save preferences"}
        </button>
        <p role="status" className="small">
          {saved ? "Saved." : ""}
        </p>
      </div>
      {save.error !== undefined && <ErrorState error={save.error} />}
    </form>
  );
}
