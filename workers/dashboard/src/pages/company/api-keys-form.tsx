// Creating an API key: a name and the permissions it carries, grouped by resource. Permissions the
// creator's own role lacks are shown but cannot be chosen (the API would refuse them).
import { type Company, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { SelectField, TextField } from "../../components/field.tsx";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import {
  actionLabel,
  KEY_SCOPE_GROUPS,
  permissionMap,
  READ_ONLY_SCOPES,
  scopeId,
  scopeRef,
} from "./api-keys-scopes.ts";
import { ActionProblem } from "./members-parts.tsx";
import { allows, type CompanyAccess } from "./members-roles.ts";

export type CreatedKey = ResponseOf<typeof routes.createApiKey>;

/** How long a new key works. A key that expires limits the harm of one that leaks. */
const LIFETIMES = [
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
  { value: "never", label: "Never (until revoked)" },
] as const;

export function CreateKeyForm({
  company,
  access,
  onCreated,
  onCancel,
}: {
  company: Company;
  access: CompanyAccess;
  onCreated: (created: CreatedKey) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const [lifetime, setLifetime] = useState<(typeof LIFETIMES)[number]["value"]>("90");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [noScopes, setNoScopes] = useState(false);
  const nameField = useRef<HTMLInputElement>(null);
  useEffect(() => nameField.current?.focus(), []);

  const mayGive = (resource: (typeof KEY_SCOPE_GROUPS)[number]["resource"], action: string) =>
    allows(access, scopeRef(resource, action)) !== false;

  const create = useAction(
    useCallback(
      (keyName: string, permissions: Record<string, string[]>, expiresInDays: number | null) =>
        callApi(routes.createApiKey, {
          params: { companyId: company.id },
          body: { name: keyName, permissions, expires_in_days: expiresInDays },
        }),
      [company.id],
    ),
  );

  const toggle = (id: string, on: boolean) => {
    setNoScopes(false);
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const chooseReadOnly = () => {
    setNoScopes(false);
    setSelected(
      new Set(
        READ_ONLY_SCOPES.filter((id) => {
          const [resource = "", action = ""] = id.split(":");
          const group = KEY_SCOPE_GROUPS.find((candidate) => candidate.resource === resource);
          return group ? mayGive(group.resource, action) : false;
        }),
      ),
    );
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const permissions = permissionMap(selected);
    // A key with no permission could call nothing: say so here rather than create a useless key.
    if (Object.keys(permissions).length === 0) {
      setNoScopes(true);
      return;
    }
    const created = await create.run(
      name.trim(),
      permissions,
      lifetime === "never" ? null : Number(lifetime),
    );
    if (created) onCreated(created);
  };

  return (
    <form className="panel admin-form" onSubmit={submit} aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create an API key</h2>
      <TextField
        ref={nameField}
        label="Name"
        required
        maxLength={100}
        placeholder="What uses it, e.g. ERP sync"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <SelectField label="Expires" value={lifetime} choices={LIFETIMES} onChange={setLifetime} />
      <div className="admin-scopes-header">
        <h3>Permissions</h3>
        <button type="button" className="button button-quiet" onClick={chooseReadOnly}>
          Choose read-only
        </button>
        <button type="button" className="button button-quiet" onClick={() => setSelected(new Set())}>
          Clear
        </button>
      </div>
      <p className="muted small admin-form-note">
        A key acts on {company.company_name} only, with these permissions. It can never manage API keys, and
        it cannot get permissions your own role does not have.
      </p>
      <div className="admin-scopes">
        {KEY_SCOPE_GROUPS.map((group) => (
          <fieldset key={group.resource}>
            <legend className="capitalize">{group.label}</legend>
            {group.actions.map((action) => {
              const id = scopeId(group.resource, action);
              const allowed = mayGive(group.resource, action);
              return (
                <label key={action} className={allowed ? "admin-check" : "admin-check muted"}>
                  <input
                    type="checkbox"
                    checked={selected.has(id)}
                    disabled={!allowed}
                    onChange={(event) => toggle(id, event.target.checked)}
                  />
                  {actionLabel(action)}
                  {!allowed && <span className="visually-hidden"> (not in your role)</span>}
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>
      {noScopes && (
        <p className="form-error" role="alert">
          Choose at least one permission.
        </p>
      )}
      {create.error !== undefined && <ActionProblem error={create.error} onDismiss={create.clearError} />}
      <div className="state-actions">
        <button type="submit" className="button button-primary" disabled={create.pending}>
          {create.pending ? "Creating…" : "Create key"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={create.pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
