// Company section "Notifications": the history of sent messages at /notifications, the workflows at
// /notifications/workflows (one's templates at /notifications/workflows/{key}), and the signed-in
// person's own preferences at /notifications/preferences. Everyone has preferences; the history and
// workflows need notifications:read, so roles without it see only their preferences.
import "../../styles/notifications.css";
import "../../styles/settings.css";
import { routes } from "@nexus/contracts";
import { useCallback, useEffect } from "react";
import { Link } from "../../components/link.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { loadMembers } from "../../lib/members.ts";
import { navigate } from "../../lib/router.ts";
import { useAsync } from "../../lib/use-async.ts";
import { useCompanyAccess } from "./members-access.ts";
import { mayTry } from "./members-roles.ts";
import { NotificationHistory } from "./notifications-history.tsx";
import { NotificationPreferencesView } from "./notifications-preferences.tsx";
import { TemplateEditor } from "./notifications-template-editor.tsx";
import { NotificationWorkflows } from "./notifications-workflows.tsx";
import { type CompanySectionProps, companyPath } from "./section.ts";

const READ = { resource: "notifications", action: "read" } as const;
const MANAGE = { resource: "notifications", action: "manage" } as const;

const VIEWS = [
  { slug: "", label: "Sent", needsRead: true },
  { slug: "workflows", label: "Workflows and templates", needsRead: true },
  { slug: "preferences", label: "My preferences", needsRead: false },
] as const;

export function CompanyNotifications({ company, rest }: CompanySectionProps) {
  const companyId = company.id;
  const access = useCompanyAccess(companyId);
  // While the role is unknown, offer everything: the API decides.
  const mayRead = access === undefined || mayTry(access, READ);
  const mayManage = access === undefined || mayTry(access, MANAGE);
  const [slug = "", workflowKey, ...extra] = rest;
  const view = VIEWS.find((candidate) => candidate.slug === slug);

  // Someone who may not read the history lands on their preferences.
  const redirect = view?.needsRead === true && !mayRead;
  useEffect(() => {
    if (redirect) navigate(companyPath(companyId, "notifications", "preferences"), { replace: true });
  }, [redirect, companyId]);

  const workflows = useAsync(
    useCallback(
      async (signal: AbortSignal) => {
        if (!mayRead) return [];
        return (await callApi(routes.listNotificationWorkflows, { params: { companyId }, signal })).workflows;
      },
      [companyId, mayRead],
    ),
  );
  const members = useAsync(useCallback((signal: AbortSignal) => loadMembers(companyId, signal), [companyId]));

  const wrongAddress = !view || extra.length > 0 || (workflowKey !== undefined && view.slug !== "workflows");
  if (wrongAddress) {
    return (
      <EmptyState title="There is nothing at this address">
        <Link className="button" href={companyPath(companyId, "notifications")}>
          Go to the notifications
        </Link>
      </EmptyState>
    );
  }
  if (redirect) return null;

  return (
    <div className="notifications">
      <nav className="subtabs" aria-label="Notifications">
        {VIEWS.filter((candidate) => mayRead || !candidate.needsRead).map((candidate) => (
          <Link
            key={candidate.slug}
            href={companyPath(companyId, "notifications", ...(candidate.slug ? [candidate.slug] : []))}
            aria-current={candidate === view && workflowKey === undefined ? "page" : undefined}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      {view.slug === "" ? (
        <NotificationHistory
          companyId={companyId}
          workflows={workflows.data ?? []}
          members={members.data ?? []}
        />
      ) : view.slug === "preferences" ? (
        <NotificationPreferencesView companyId={companyId} />
      ) : workflowKey === undefined ? (
        <NotificationWorkflows companyId={companyId} workflows={workflows} canManage={mayManage} />
      ) : (
        <Loaded state={workflows} loading="Loading the workflow…">
          {(list) => {
            const workflow = list.find((candidate) => candidate.key === workflowKey);
            return workflow ? (
              <TemplateEditor
                key={workflow.key}
                companyId={companyId}
                workflow={workflow}
                canManage={mayManage}
              />
            ) : (
              <EmptyState title="No such workflow">
                <Link className="button" href={companyPath(companyId, "notifications", "workflows")}>
                  All workflows
                </Link>
              </EmptyState>
            );
          }}
        </Loaded>
      )}
    </div>
  );
}
