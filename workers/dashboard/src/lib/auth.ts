// Sign-in, sessions and organizations go through better-auth's own client: the API serves
// better-auth's endpoints as they are (/api/auth/*), and the client's types come from the library.
import { createAuthClient } from "better-auth/client";
import { adminClient, organizationClient } from "better-auth/client/plugins";

export const authClient = createAuthClient({
  // Same origin: the dashboard's Pages Function forwards /api/* to the API worker.
  basePath: "/api/auth",
  // Dynamic access control: companies' custom roles (listRoles) are offered beside the built-in ones.
  plugins: [organizationClient({ dynamicAccessControl: { enabled: true } }), adminClient()],
});

export type Session = typeof authClient.$Infer.Session;
export type SessionUser = Session["user"];

/** Platform operators are users with the admin plugin's `admin` role; the API checks exactly that. */
export const isOperator = (user: SessionUser): boolean => user.role === "admin";

/** The signed-in session, or null; throws only when the API could not be asked. */
export async function currentSession(): Promise<Session | null> {
  const { data, error } = await authClient.getSession();
  if (error) throw new Error(error.message ?? `Could not load the session (HTTP ${error.status}).`);
  return data;
}

/** A refusal from better-auth's endpoints: its error code (e.g. INVALID_TOKEN) and message. */
export class AuthRequestError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(error: { status: number; code?: string | undefined; message?: string | undefined }) {
    super(error.message || `Nexus Central refused the request (HTTP ${error.status}).`);
    this.name = "AuthRequestError";
    this.status = error.status;
    this.code = error.code;
  }
}

/**
 * The data of a better-auth client call, or its error thrown as an AuthRequestError (the client
 * returns errors instead of throwing, which suits forms but not useAsync/useAction).
 */
export async function authData<T>(
  call: Promise<{
    data: T | null;
    error: { status: number; code?: string | undefined; message?: string | undefined } | null;
  }>,
): Promise<T> {
  const { data, error } = await call;
  if (error) throw new AuthRequestError(error);
  if (data === null) throw new AuthRequestError({ status: 500, message: "Nexus Central sent no answer." });
  return data;
}
