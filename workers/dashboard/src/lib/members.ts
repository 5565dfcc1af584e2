// A company's members, for showing people by name rather than by user id.

import { NexusApiError } from "@nexus/client/errors";
import { type MemberSchema, routes } from "@nexus/contracts";
import type { z } from "zod";
import { callApi } from "./api.ts";

export type Member = z.infer<typeof MemberSchema>;

/** The members, or none when the caller may not list them (installers): callers fall back to ids. */
export async function loadMembers(companyId: string, signal: AbortSignal): Promise<Member[]> {
  try {
    return (await callApi(routes.listMembers, { params: { companyId }, signal })).members;
  } catch (error) {
    if (error instanceof NexusApiError && error.code === "FORBIDDEN") return [];
    throw error;
  }
}

/** User id → the member's name (or email when they gave none). */
export const namesOf = (members: readonly Member[]): ReadonlyMap<string, string> =>
  new Map(members.map((member) => [member.user_id, member.name || member.email]));
