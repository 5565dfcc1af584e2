// The company's members: who they are, their role and what it means, and — for people who manage
// members — changing a role (an explicit Save, so arrowing through the list sends nothing) and
// removing someone after a confirmation.
import { type Company, routes } from "@nexus/contracts";
import { type FormEvent, type ReactNode, useCallback, useId, useState } from "react";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { ActionProblem, ConfirmAction, type ConfirmWords, ListTable, RoleSelect } from "./members-parts.tsx";
import { type CompanyAccess, mayTry, roleHeadline } from "./members-roles.ts";

export type Member = ResponseOf<typeof routes.listMembers>["members"][number];

export function MembersTable({
  company,
  members,
  access,
  roles,
  onChanged,
  search,
}: {
  company: Company;
  members: AsyncState<Member[]>;
  access: CompanyAccess;
  /** The roles a member can be given. */
  roles: readonly string[];
  /** A member's role or membership changed: the list (and anything derived from it) is stale. */
  onChanged: () => void;
  /** The search field, and the words `members` matched (empty: every member is listed). */
  search?: { field: ReactNode; query: string };
}) {
  const companyId = company.id;
  const [done, setDone] = useState<string>();
  const manage = mayTry(access, { resource: "members", action: "manage" });

  const changeRole = useAction(
    useCallback(
      async (member: Member, role: string) => {
        await callApi(routes.changeMemberRole, {
          params: { companyId, memberId: member.id },
          body: { role },
        });
        setDone(`${member.name || member.email} is now ${role}.`);
        onChanged();
        return true;
      },
      [companyId, onChanged],
    ),
  );
  const remove = useAction(
    useCallback(
      async (member: Member) => {
        await callApi(routes.removeMember, { params: { companyId, memberId: member.id } });
        setDone(`${member.name || member.email} no longer has access to ${company.company_name}.`);
        onChanged();
      },
      [companyId, company.company_name, onChanged],
    ),
  );
  const problem = changeRole.error ?? remove.error;
  const clearProblem = () => {
    changeRole.clearError();
    remove.clearError();
  };
  const startAction = () => {
    setDone(undefined);
    clearProblem();
  };

  return (
    <section className="panel" aria-labelledby="members-heading" aria-busy={members.loading}>
      <h2 id="members-heading">Members</h2>
      {search?.field}
      <p className="muted small admin-status" role="status">
        {done}
      </p>
      {problem !== undefined && <ActionProblem error={problem} onDismiss={clearProblem} />}
      <Loaded state={members} loading="Loading members…">
        {(list) =>
          list.length === 0 && search?.query ? (
            <EmptyState title={`No member matches “${search.query}”`} />
          ) : list.length === 0 ? (
            <EmptyState title="No members yet">
              <p>Invite people below; they join when they accept.</p>
            </EmptyState>
          ) : (
            <ListTable
              caption={`Members of ${company.company_name}, with their roles`}
              columns={
                <>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col" className="wide-only">
                    Joined
                  </th>
                  {manage && <th scope="col">Actions</th>}
                </>
              }
            >
              {list.map((member) => {
                const you = access.kind === "member" && access.userId === member.user_id;
                const who = member.name || member.email;
                return (
                  <tr key={member.id}>
                    <th scope="row">
                      <span className="admin-name">
                        {who}
                        {you && <span className="badge admin-you">You</span>}
                      </span>
                      <span className="muted small">{member.email}</span>
                    </th>
                    <td>
                      {manage ? (
                        <RoleForm
                          // A new role from the server starts the form afresh.
                          key={member.role}
                          member={member}
                          roles={roles}
                          pending={changeRole.pending}
                          onSubmit={(role) => {
                            startAction();
                            return changeRole.run(member, role);
                          }}
                        />
                      ) : (
                        <span className="capitalize">{member.role}</span>
                      )}
                      <span className="muted small admin-note">{roleHeadline(member.role)}</span>
                    </td>
                    <td className="wide-only">{formatDateTime(member.created_at)}</td>
                    {manage && (
                      <td>
                        <ConfirmAction
                          words={removeWords(who, you, company.company_name)}
                          action={remove}
                          item={member}
                          onStart={startAction}
                        />
                      </td>
                    )}
                  </tr>
                );
              })}
            </ListTable>
          )
        }
      </Loaded>
    </section>
  );
}

const removeWords = (who: string, you: boolean, companyName: string): ConfirmWords => ({
  verb: "Remove",
  target: who,
  question: you
    ? `Remove yourself from ${companyName}? You lose access at once.`
    : `Remove ${who} from ${companyName}?`,
  confirmLabel: "Yes, remove",
});

function RoleForm({
  member,
  roles,
  pending,
  onSubmit,
}: {
  member: Member;
  roles: readonly string[];
  pending: boolean;
  /** Resolves to true when the role was changed. */
  onSubmit: (role: string) => Promise<boolean | undefined>;
}) {
  const [role, setRole] = useState(member.role);
  const id = useId();
  // A member with several roles ("admin,installer") or one the list lacks keeps it as a choice.
  const options = roles.includes(member.role) ? roles : [member.role, ...roles];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (role === member.role) return;
    // Refused (say, the last owner): the choice goes back to the role the member still has.
    void onSubmit(role).then((changed) => {
      if (!changed) setRole(member.role);
    });
  };
  return (
    <form className="admin-inline-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={id}>
        Role of {member.name || member.email}
      </label>
      <RoleSelect id={id} roles={options} value={role} onChange={(event) => setRole(event.target.value)} />
      {role !== member.role && (
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : "Save role"}
        </button>
      )}
    </form>
  );
}
