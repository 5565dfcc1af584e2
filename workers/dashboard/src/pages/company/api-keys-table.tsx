// The company's API keys as a table: what each may do, when it was last used, whether it still
// works, and revoking it.
import type { routes } from "@nexus/contracts";
import type { ResponseOf } from "../../lib/api.ts";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import type { Action } from "../../lib/use-action.ts";
import { describePermissions } from "./api-keys-scopes.ts";
import { ConfirmAction, type ConfirmWords, ListTable } from "./members-parts.tsx";

export type ApiKey = ResponseOf<typeof routes.listApiKeys>["api_keys"][number];

const revokeWords = (key: ApiKey): ConfirmWords => ({
  verb: "Revoke",
  target: key.name,
  question: `Revoke “${key.name}”? Anything using it stops working at once.`,
  confirmLabel: "Yes, revoke",
});

export function KeysTable({
  companyName,
  keys,
  now,
  manage,
  revoke,
  onStart,
}: {
  companyName: string;
  keys: ApiKey[];
  now: number;
  /** Offer revoking (the person's role manages keys). */
  manage: boolean;
  revoke: Action<[ApiKey], unknown>;
  onStart: () => void;
}) {
  return (
    <ListTable
      caption={`API keys of ${companyName}, newest first`}
      columns={
        <>
          <th scope="col">Name</th>
          <th scope="col">Permissions</th>
          <th scope="col">Last used</th>
          <th scope="col" className="wide-only">
            Created
          </th>
          <th scope="col">Status</th>
          {manage && <th scope="col">Actions</th>}
        </>
      }
    >
      {keys.map((key) => (
        <tr key={key.id}>
          <th scope="row">
            <span className="admin-name">{key.name}</span>
            <span className="muted small mono">{key.prefix}…</span>
          </th>
          <td>
            <ul className="admin-permissions">
              {describePermissions(key.permissions).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </td>
          <td title={key.last_used_at ? formatDateTime(key.last_used_at) : undefined}>
            {key.last_used_at ? timeAgo(key.last_used_at, now) : "never"}
          </td>
          <td className="wide-only">{formatDateTime(key.created_at)}</td>
          <td>
            {key.revoked_at ? (
              <>
                <span className="badge badge-inactive">Revoked</span>
                <span className="muted small admin-note">{formatDateTime(key.revoked_at)}</span>
              </>
            ) : key.expires_at && Date.parse(key.expires_at) <= now ? (
              <>
                <span className="badge badge-inactive">Expired</span>
                <span className="muted small admin-note">{formatDateTime(key.expires_at)}</span>
              </>
            ) : (
              <>
                <span className="badge badge-online">Active</span>
                <span className="muted small admin-note">
                  {key.expires_at ? `until ${formatDateTime(key.expires_at)}` : "no expiry"}
                </span>
              </>
            )}
          </td>
          {manage && (
            <td>
              {!key.revoked_at && (
                <ConfirmAction words={revokeWords(key)} action={revoke} item={key} onStart={onStart} />
              )}
            </td>
          )}
        </tr>
      ))}
    </ListTable>
  );
}
