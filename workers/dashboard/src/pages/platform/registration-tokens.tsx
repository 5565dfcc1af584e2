// Registration tokens: single-use secrets an operator hands to a new customer so they can register
// their company (when registration is not open). The secret is shown once; the list shows only
// what happened to each token, and unused ones can be revoked.
import {
  type CreateRegistrationTokenRequestSchema,
  type RegistrationToken,
  routes,
  type SubscriptionTier,
  SubscriptionTierSchema,
} from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import type { z } from "zod";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { Field, TextField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { OneTimeSecret } from "../../components/one-time-secret.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState, ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { companyPath } from "../company/section.ts";
import { useDocumentTitle } from "../title.ts";

type CreateTokenInput = z.input<typeof CreateRegistrationTokenRequestSchema>;

type TokenState = RegistrationToken["state"];
const STATES: readonly TokenState[] = ["active", "used", "expired", "revoked"];
const STATE_BADGE: Record<TokenState, string> = {
  active: "badge-online",
  used: "badge-offline",
  expired: "badge-offline",
  revoked: "badge-inactive",
};
const DEFAULT_HOURS = 72;

export function RegistrationTokensPage() {
  useDocumentTitle("Registration tokens");
  const [state, setState] = useState<TokenState | "">("");
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listRegistrationTokens, {
          query: { state: state || undefined, cursor },
          signal,
        });
        return { items: page.tokens, nextCursor: page.next_cursor };
      },
      [state],
    ),
  );
  const [revoked, setRevoked] = useState<ReadonlyMap<string, RegistrationToken>>(new Map());
  const revoke = useAction(
    useCallback(async (tokenId: string) => {
      const { token } = await callApi(routes.revokeRegistrationToken, { params: { tokenId } });
      setRevoked((previous) => new Map(previous).set(token.id, token));
    }, []),
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Registration tokens</h1>
          <p className="muted">
            A token lets one new customer register their company. Send it over a channel you trust; it works
            once, until it expires.
          </p>
        </div>
      </div>
      <CreateToken onCreated={list.reload} />
      <section className="panel" aria-label="Tokens">
        <search className="filters token-filters">
          <Field label="State">
            {(id) => (
              <select
                id={id}
                value={state}
                onChange={(event) => setState(event.target.value as TokenState | "")}
              >
                <option value="">Any</option>
                {STATES.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </search>
        {revoke.error !== undefined && <ErrorState error={revoke.error} />}
        <PagedTable
          list={list}
          caption="Registration tokens"
          loading="Loading tokens…"
          empty={<EmptyState title={state ? `No ${state} tokens` : "No registration tokens yet"} />}
          columns={
            <>
              <th scope="col">Label</th>
              <th scope="col">State</th>
              <th scope="col">Plan</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Registered</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </>
          }
          row={(listed) => {
            const token = revoked.get(listed.id) ?? listed;
            return (
              <tr key={token.id}>
                <th scope="row">{token.label ?? <span className="muted">(no label)</span>}</th>
                <td>
                  <span className={`badge ${STATE_BADGE[token.state]}`}>{token.state}</span>
                </td>
                <td>
                  {token.subscription_tier}, {token.max_installations} seats
                  {token.subscription_days !== null && `, ${token.subscription_days} days`}
                </td>
                <td>{formatDateTime(token.created_at)}</td>
                <td>{formatDateTime(token.expires_at)}</td>
                <td>
                  {token.used_by_company_id ? (
                    <Link href={companyPath(token.used_by_company_id)}>
                      {token.used_at ? formatDateTime(token.used_at) : "a company"}
                    </Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {token.state === "active" && (
                    <ConfirmButton
                      label={
                        <>
                          Revoke<span className="visually-hidden"> {token.label ?? "token"}</span>
                        </>
                      }
                      className="button button-quiet"
                      question="Revoke this token? Nobody can register with it afterwards."
                      confirmLabel="Revoke"
                      pending={revoke.pending}
                      onConfirm={() => revoke.run(token.id)}
                    />
                  )}
                </td>
              </tr>
            );
          }}
        />
      </section>
    </div>
  );
}

function CreateToken({ onCreated }: { onCreated: () => void }) {
  const [label, setLabel] = useState("");
  const [hours, setHours] = useState(String(DEFAULT_HOURS));
  const [tier, setTier] = useState<SubscriptionTier>("standard");
  // Empty: the tier's default seats / no end date.
  const [seats, setSeats] = useState("");
  const [days, setDays] = useState("");
  const [created, setCreated] = useState<{ token: string; label: string | null }>();
  const create = useAction(
    useCallback(
      async (input: CreateTokenInput) => {
        const result = await callApi(routes.createRegistrationToken, { body: input });
        setCreated({ token: result.token, label: result.label });
        setLabel("");
        onCreated();
      },
      [onCreated],
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run({
      label: label.trim() || undefined,
      expires_in_hours: Number(hours),
      subscription_tier: tier,
      max_installations: seats ? Number(seats) : null,
      subscription_days: days ? Number(days) : null,
    });
  };
  return (
    <section className="panel" aria-label="New token">
      <form className="filters" onSubmit={submit}>
        <TextField
          label="Label (who it is for)"
          value={label}
          maxLength={200}
          placeholder="e.g. Acme Ltd onboarding"
          onChange={(event) => setLabel(event.target.value)}
        />
        <TextField
          label="Valid for (hours)"
          type="number"
          min={1}
          max={24 * 90}
          required
          value={hours}
          onChange={(event) => setHours(event.target.value)}
        />
        <Field label="Plan the company gets">
          {(id) => (
            <select
              id={id}
              value={tier}
              onChange={(event) => setTier(SubscriptionTierSchema.parse(event.target.value))}
            >
              {SubscriptionTierSchema.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="Seats (empty: the plan's)"
          type="number"
          min={0}
          value={seats}
          onChange={(event) => setSeats(event.target.value)}
        />
        <TextField
          label="Subscription days (empty: no end)"
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={(event) => setDays(event.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={create.pending}>
          {create.pending ? "Creating…" : "Create token"}
        </button>
      </form>
      {create.error !== undefined && <ErrorState error={create.error} />}
      {created && (
        <OneTimeSecret
          label={created.label ? `Registration token for ${created.label}` : "Registration token"}
          secret={created.token}
        />
      )}
    </section>
  );
}
