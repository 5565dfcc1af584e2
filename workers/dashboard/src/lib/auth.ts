// Sign-in, sessions and organizations go through better-auth's own client: the API serves
// better-auth's endpoints as they are (/api/auth/*), and the client's types come from the library.
import { createAuthClient } from "better-auth/client";
import { adminClient, organizationClient } from "better-auth/client/plugins";

export const authClient = createAuthClient({
  // Same origin: the dashboard's Pages Function forwards /api/* to the API worker.
  basePath: "/api/auth",
  plugins: [organizationClient(), adminClient()],
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
