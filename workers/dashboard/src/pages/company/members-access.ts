// The signed-in person's access in a company, for screens that offer only the controls their role
// allows. Best effort: when it cannot be told, every control is offered and the API decides.
import { COMPANY_ROLES, routes } from "@nexus/contracts";
import { useCallback, useMemo, useState } from "react";
import { callApi } from "../../lib/api.ts";
import { authClient, currentSession, isOperator } from "../../lib/auth.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import { accessAmong, type CompanyAccess } from "./members-roles.ts";

export interface SignedInUser {
  id: string;
  operator: boolean;
}

async function signedInUser(): Promise<SignedInUser | null> {
  const session = await currentSession().catch(() => null);
  return session ? { id: session.user.id, operator: isOperator(session.user) } : null;
}

/** Who is signed in (undefined while loading, null when it could not be told). */
export function useSignedInUser(): SignedInUser | null | undefined {
  return useAsync(useCallback(() => signedInUser(), [])).data;
}

/** The signed-in person's access in `companyId` (undefined while loading). */
export function useCompanyAccess(companyId: string): CompanyAccess | undefined {
  const state = useAsync(
    useCallback(
      async (signal: AbortSignal): Promise<CompanyAccess> => {
        const user = await signedInUser();
        if (!user) return { kind: "unknown" };
        if (user.operator) return { kind: "operator" };
        const { members } = await callApi(routes.listMembers, { params: { companyId }, signal });
        return accessAmong(user, members);
      },
      [companyId],
    ),
  );
  return state.error !== undefined ? { kind: "unknown" } : state.data;
}

/**
 * The roles a member can be given: the built-in ones, then the company's custom roles (better-auth's
 * dynamic access control). Custom roles are a bonus: when they cannot be read, the built-in ones remain.
 */
export function useCompanyRoles(companyId: string): readonly string[] {
  const custom = useAsync(
    useCallback(async () => {
      const { data } = await authClient.organization.listRoles({ query: { organizationId: companyId } });
      return (data ?? []).map((entry) => entry.role);
    }, [companyId]),
  );
  return useMemo(() => {
    const builtIn: readonly string[] = COMPANY_ROLES;
    return [...builtIn, ...(custom.data ?? []).filter((role) => !builtIn.includes(role))];
  }, [custom.data]);
}

/**
 * A company's short list that the screen changes one item at a time: `load` reads it, `change` acts
 * on an item and says what it did (both module-level functions of the company id); after each change
 * the list is read again and `done` holds that sentence for a status line.
 */
export function useChangingList<T, I>(
  companyId: string,
  load: (companyId: string, signal: AbortSignal) => Promise<T>,
  change: (companyId: string, item: I) => Promise<string>,
) {
  const list = useAsync(useCallback((signal: AbortSignal) => load(companyId, signal), [companyId, load]));
  const [done, setDone] = useState<string>();
  const { reload } = list;
  const action = useAction(
    useCallback(
      async (item: I) => {
        setDone(await change(companyId, item));
        reload();
      },
      [companyId, change, reload],
    ),
  );
  return { list, action, done, setDone };
}
