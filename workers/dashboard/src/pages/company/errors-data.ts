// What the error-tracking screens read and share: the company's projects (DSNs) — to name them in
// lists and filters —, and the words for issue states, levels and apps.
import type { ErrorIssueStatus, ErrorLevel, ErrorProject, ErrorProjectApp } from "@nexus/contracts";
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { type AsyncState, useAsync } from "../../lib/use-async.ts";
import { companyPath } from "./section.ts";

export type ErrorIssueView = ResponseOf<typeof routes.listErrorIssues>["issues"][number];
export type ErrorIssueDetailView = ResponseOf<typeof routes.getErrorIssue>;
export type ErrorEventView = ResponseOf<typeof routes.listErrorEvents>["events"][number];

export const STATUS_LABELS: Record<ErrorIssueStatus, string> = {
  unresolved: "Unresolved",
  resolved: "Resolved",
  ignored: "Ignored",
};

export const LEVEL_LABELS: Record<ErrorLevel, string> = {
  fatal: "Fatal",
  error: "Error",
  warning: "Warning",
  info: "Info",
  debug: "Debug",
};

export const APP_LABELS: Record<ErrorProjectApp, string> = {
  desktop: "Desktop app",
  mobile: "Mobile app",
  other: "Other",
};

export function useErrorProjects(companyId: string): AsyncState<ErrorProject[]> {
  return useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.listErrorProjects, { params: { companyId }, signal })).projects,
      [companyId],
    ),
  );
}

/** A project's name for people: its name, or its id when it cannot be read. */
export const projectName = (projects: readonly ErrorProject[] | undefined, id: number): string =>
  projects?.find((project) => project.id === id)?.name ?? `Project ${id}`;

export const errorsPath = (companyId: string, ...segments: string[]): string =>
  companyPath(companyId, "errors", ...segments);

export const issuePath = (companyId: string, issueId: string): string =>
  errorsPath(companyId, "issues", issueId);

const count = new Intl.NumberFormat("en");
export const formatCount = (value: number): string => count.format(value);
