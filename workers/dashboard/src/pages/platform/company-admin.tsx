// An operator's controls for one company, opened from the companies list: tier, seat and user
// limits, update channel, minimum app version, and suspension. Only changed fields are sent, so
// two operators editing different fields do not undo each other.
import { type Company, routes, SubscriptionTierSchema } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { Field, TextField } from "../../components/field.tsx";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useChannels } from "../../lib/channels.ts";
import { useAction } from "../../lib/use-action.ts";

interface Draft {
  subscription_tier: Company["subscription_tier"];
  max_installations: string;
  max_users: string;
  update_channel: string;
  minimum_app_version: string;
}

const draftOf = (company: Company): Draft => ({
  subscription_tier: company.subscription_tier,
  max_installations: String(company.max_installations),
  max_users: String(company.max_users),
  update_channel: company.update_channel,
  minimum_app_version: company.minimum_app_version ?? "",
});

/** The fields that differ from the company as loaded, in the API's types. */
export function changesOf(company: Company, draft: Draft) {
  const changes: {
    subscription_tier?: Company["subscription_tier"];
    max_installations?: number;
    max_users?: number;
    update_channel?: string;
    minimum_app_version?: string | null;
  } = {};
  if (draft.subscription_tier !== company.subscription_tier)
    changes.subscription_tier = draft.subscription_tier;
  if (draft.max_installations !== String(company.max_installations)) {
    changes.max_installations = Number(draft.max_installations);
  }
  if (draft.max_users !== String(company.max_users)) changes.max_users = Number(draft.max_users);
  if (draft.update_channel !== company.update_channel) changes.update_channel = draft.update_channel;
  const minimum = draft.minimum_app_version.trim() || null;
  if (minimum !== company.minimum_app_version) changes.minimum_app_version = minimum;
  return changes;
}

export function CompanyAdminPanel({
  company,
  onChanged,
}: {
  company: Company;
  onChanged: (company: Company) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(company));
  const [reason, setReason] = useState("");
  const [saved, setSaved] = useState(false);
  const channels = useChannels();
  const changes = changesOf(company, draft);
  const changed = Object.keys(changes).length > 0;

  const save = useAction(
    useCallback(
      async (body: ReturnType<typeof changesOf>) => {
        const { company: updated } = await callApi(routes.updateCompany, {
          params: { companyId: company.id },
          body,
        });
        setDraft(draftOf(updated));
        setSaved(true);
        onChanged(updated);
      },
      [company.id, onChanged],
    ),
  );
  const suspension = useAction(
    useCallback(async () => {
      const params = { companyId: company.id };
      const { company: updated } = company.suspended
        ? await callApi(routes.resumeCompany, { params })
        : await callApi(routes.suspendCompany, {
            params,
            body: reason.trim() ? { reason: reason.trim() } : {},
          });
      setReason("");
      onChanged(updated);
    }, [company.id, company.suspended, reason, onChanged]),
  );

  const edit = (field: keyof Draft) => (value: string) => {
    setSaved(false);
    setDraft((previous) => ({ ...previous, [field]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed) void save.run(changes);
  };
  const channelNames = channels.data?.channels.map((channel) => channel.name) ?? [company.update_channel];

  return (
    <div className="company-admin">
      <form
        className="company-admin-form"
        onSubmit={submit}
        aria-label={`Limits and updates of ${company.company_name}`}
      >
        <Field label="Tier">
          {(id) => (
            <select
              id={id}
              value={draft.subscription_tier}
              onChange={(event) =>
                edit("subscription_tier")(SubscriptionTierSchema.parse(event.target.value))
              }
            >
              {SubscriptionTierSchema.options.map((tier) => (
                <option key={tier} value={tier}>
                  {tier}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="Seat limit"
          type="number"
          min={0}
          required
          value={draft.max_installations}
          onChange={(event) => edit("max_installations")(event.target.value)}
        />
        <TextField
          label="User limit"
          type="number"
          min={0}
          required
          value={draft.max_users}
          onChange={(event) => edit("max_users")(event.target.value)}
        />
        <Field label="Update channel">
          {(id) => (
            <select
              id={id}
              value={draft.update_channel}
              onChange={(event) => edit("update_channel")(event.target.value)}
            >
              {channelNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="Minimum app version"
          placeholder="none"
          value={draft.minimum_app_version}
          onChange={(event) => edit("minimum_app_version")(event.target.value)}
        />
        <div className="company-admin-actions">
          <button type="submit" className="button button-primary" disabled={!changed || save.pending}>
            {save.pending ? "Saving…" : "Save changes"}
          </button>
          {saved && !changed && (
            <span role="status" className="muted">
              Saved.
            </span>
          )}
        </div>
        <p className="muted small company-admin-note">
          A new tier brings that tier's default limits unless you set them in the same change.
        </p>
      </form>
      {save.error !== undefined && <ErrorState error={save.error} />}

      <div className="company-admin-suspension">
        {company.suspended ? (
          <>
            <p>
              Suspended{company.suspended_reason ? `: ${company.suspended_reason}` : ""}. Its installations
              are refused.
            </p>
            <button
              type="button"
              className="button"
              disabled={suspension.pending}
              onClick={() => void suspension.run()}
            >
              {suspension.pending ? "Resuming…" : "Resume company"}
            </button>
          </>
        ) : (
          <>
            <TextField
              label="Reason for suspending (for operators and the audit log)"
              value={reason}
              maxLength={500}
              onChange={(event) => setReason(event.target.value)}
            />
            <ConfirmButton
              label="Suspend company"
              question={`Suspend ${company.company_name}? Its installations are refused until you resume it.`}
              confirmLabel="Suspend"
              pending={suspension.pending}
              onConfirm={() => suspension.run()}
            />
          </>
        )}
        {suspension.error !== undefined && <ErrorState error={suspension.error} />}
      </div>
    </div>
  );
}
