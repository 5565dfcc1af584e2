// The company's API keys for server-to-server calls: the list (never the keys themselves), creating
// one (its secret shown once), and revoking (it stops working at once).
import { routes } from "@nexus/contracts";
import { useState } from "react";
import { EmptyState, Loaded, Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useNow } from "../../lib/timing.ts";
import { type CreatedKey, CreateKeyForm } from "./api-keys-form.tsx";
import { NewKeySecret } from "./api-keys-secret.tsx";
import { type ApiKey, KeysTable } from "./api-keys-table.tsx";
import { useChangingList, useCompanyAccess } from "./members-access.ts";
import { ActionProblem } from "./members-parts.tsx";
import { mayTry } from "./members-roles.ts";
import type { CompanySectionProps } from "./section.ts";
import "../../styles/admin.css";

const keysOf = async (companyId: string, signal: AbortSignal) =>
  (await callApi(routes.listApiKeys, { params: { companyId }, signal })).api_keys;

async function revokeKey(companyId: string, key: ApiKey): Promise<string> {
  await callApi(routes.revokeApiKey, { params: { companyId, keyId: key.id } });
  return `“${key.name}” is revoked: calls with it are refused from now on.`;
}

export function CompanyApiKeys({ company }: CompanySectionProps) {
  const companyId = company.id;
  const now = useNow();
  const access = useCompanyAccess(companyId);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey>();
  const { list: keys, action: revoke, done, setDone } = useChangingList(companyId, keysOf, revokeKey);
  const { reload } = keys;

  if (access === undefined) return <Loading label="Loading API keys…" />;
  const manage = mayTry(access, { resource: "api_keys", action: "manage" });

  return (
    <>
      <div className="panel admin-intro">
        <div>
          <h2>API keys</h2>
          <p className="muted small">
            For your own servers and scripts: send a key as{" "}
            <code className="mono">Authorization: Bearer …</code> to the company's API routes its permissions
            allow.
          </p>
        </div>
        {manage && !creating && !created && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDone(undefined);
              setCreating(true);
            }}
          >
            Create API key
          </button>
        )}
      </div>

      {creating && (
        <CreateKeyForm
          company={company}
          access={access}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            reload();
          }}
        />
      )}
      {created && (
        <NewKeySecret
          created={created}
          onDone={() => {
            setCreated(undefined);
            setDone(`“${created.api_key.name}” is ready to use.`);
          }}
        />
      )}

      <section className="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        <p className="muted small admin-status" role="status">
          {done}
        </p>
        {revoke.error !== undefined && <ActionProblem error={revoke.error} onDismiss={revoke.clearError} />}
        <Loaded state={keys} loading="Loading API keys…">
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No API keys yet">
                {manage && (
                  <p>Create one for each system that calls the API, so each can be revoked alone.</p>
                )}
              </EmptyState>
            ) : (
              <KeysTable
                companyName={company.company_name}
                keys={list}
                now={now}
                manage={manage}
                revoke={revoke}
                onStart={() => setDone(undefined)}
              />
            )
          }
        </Loaded>
      </section>
    </>
  );
}
