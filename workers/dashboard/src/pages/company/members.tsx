// The company's people: its members and their roles, invitations, and what each built-in role may
// do. Controls for changing people appear for those whose role manages members (and for operators);
// the API checks every change regardless.
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { TextField } from "../../components/field.tsx";
import { Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { type AsyncState, useAsync } from "../../lib/use-async.ts";
import { type SearchState, useSearch } from "../../lib/use-search.ts";
import { useQueryText } from "./crm/query.ts";
import { useCompanyRoles, useSignedInUser } from "./members-access.ts";
import { InvitationsPanel } from "./members-invitations.tsx";
import { accessAmong, type CompanyAccess, ROLE_SUMMARIES } from "./members-roles.ts";
import { type Member, MembersTable } from "./members-table.tsx";
import type { CompanySectionProps } from "./section.ts";
import "../../styles/admin.css";

export function CompanyMembers({ company }: CompanySectionProps) {
  const companyId = company.id;
  const user = useSignedInUser();
  const roles = useCompanyRoles(companyId);
  const members = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.listMembers, { params: { companyId }, signal })).members,
      [companyId],
    ),
  );

  const text = useQueryText("q", 200);
  const search = useSearch(companyId, text.value, { types: MEMBER_TYPE, limit: 50 });

  // Until the page knows who is looking, it cannot tell which controls to offer.
  if (user === undefined) return <Loading label="Loading members…" />;
  const access: CompanyAccess = user && members.data ? accessAmong(user, members.data) : { kind: "unknown" };

  return (
    <>
      <MembersTable
        company={company}
        members={matching(members, search)}
        access={access}
        roles={roles}
        onChanged={members.reload}
        search={{
          query: search.query,
          field: (
            <search className="filters">
              <TextField
                label="Search members"
                type="search"
                placeholder="Name, email or role"
                value={text.value}
                onChange={text.onChange}
              />
            </search>
          ),
        }}
      />
      <InvitationsPanel company={company} access={access} roles={roles} />
      <RolesGuide />
    </>
  );
}

const MEMBER_TYPE = ["member"] as const;

/**
 * The members the company search matched, best first (every member while nothing is searched). The
 * list stays the members list, so a found member's role can be changed in place.
 */
function matching(members: AsyncState<Member[]>, search: SearchState): AsyncState<Member[]> {
  if (!search.query) return members;
  const byId = new Map((members.data ?? []).map((member) => [member.id, member]));
  const found = search.data?.hits.flatMap((hit) => byId.get(hit.id) ?? []);
  return {
    data: members.data && found,
    error: members.error ?? search.error,
    loading: members.loading || search.loading,
    reload: search.error !== undefined ? search.reload : members.reload,
  };
}

function RolesGuide() {
  return (
    <section className="panel admin-roles" aria-labelledby="roles-heading">
      <h2 id="roles-heading">What each role may do</h2>
      <dl>
        {ROLE_SUMMARIES.map((summary) => (
          <div key={summary.role}>
            <dt className="capitalize">{summary.role}</dt>
            <dd>
              {summary.headline}
              <span className="muted small admin-role-detail">
                Changes: {summary.changes.join(", ") || "nothing"}.
                {summary.reads.length > 0 && ` Sees: ${summary.reads.join(", ")}.`}
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted small">A company can also define its own roles; they appear in the role lists.</p>
    </section>
  );
}
