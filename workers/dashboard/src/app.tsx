// The dashboard shell: who is signed in, which screen the address asks for, and moving focus to
// the content after each navigation.
import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import { Layout } from "./components/layout.tsx";
import { ErrorState, Loading } from "./components/states.tsx";
import { UNAUTHORIZED_EVENT } from "./lib/api.ts";
import { authClient, currentSession, isOperator, type Session, type SessionUser } from "./lib/auth.ts";
import { navigate, safeNextPath, useLocation } from "./lib/router.ts";
import { useAsync } from "./lib/use-async.ts";
import { CompaniesPage } from "./pages/companies.tsx";
import { CompanyPage } from "./pages/company.tsx";
import { InvitationPage, InvitationSignedOutPage } from "./pages/invitation.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { PLATFORM_SECTIONS } from "./pages/platform/sections.ts";
import { ResetPasswordPage } from "./pages/reset-password.tsx";
import { SignInPage } from "./pages/sign-in.tsx";

const SIGN_IN = "/sign-in";
const RESET_PASSWORD = "/reset-password";

/** The invitation id of an /invitations/{id} address. */
function invitationIdOf(path: string): string | undefined {
  const match = /^\/invitations\/([^/]+)$/.exec(path);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Pages a signed-out visitor may see (besides sign-in): they come from links in mail. */
const isPublicPath = (path: string): boolean => path === RESET_PASSWORD || invitationIdOf(path) !== undefined;

export function App() {
  const location = useLocation();
  const path = location.split("?")[0] ?? "/";
  const session = useAsync(useCallback(() => currentSession(), []));
  // Signing in or out changes the session without a reload.
  const [override, setOverride] = useState<{ session: Session | null }>();
  const current = override ? override.session : session.data;

  const refreshSession = useCallback(async () => {
    setOverride({ session: await currentSession() });
    navigate(safeNextPath(new URLSearchParams(window.location.search).get("next")), { replace: true });
  }, []);

  const signOut = useCallback(async () => {
    await authClient.signOut().catch(() => undefined);
    setOverride({ session: null });
    navigate(SIGN_IN);
  }, []);

  // Invited with another address than the signed-in one: sign in again, then back to the invitation.
  const switchAccount = useCallback(async () => {
    await authClient.signOut().catch(() => undefined);
    setOverride({ session: null });
    navigate(`${SIGN_IN}?next=${encodeURIComponent(window.location.pathname)}`);
  }, []);

  // A reset password ends every session (the API revokes them): sign in afresh with the new one.
  const passwordChanged = useCallback(() => {
    setOverride({ session: null });
    navigate(`${SIGN_IN}?reset=done`, { replace: true });
  }, []);

  // The API said the session is gone (expired, revoked): back to sign-in, then back here.
  useEffect(() => {
    const expired = () => {
      setOverride({ session: null });
      navigate(`${SIGN_IN}?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    };
    window.addEventListener(UNAUTHORIZED_EVENT, expired);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, expired);
  }, []);

  const known = override !== undefined || session.data !== undefined;
  const signedOut = known && !current;
  useEffect(() => {
    if (signedOut && path !== SIGN_IN && !isPublicPath(path)) {
      const next = path === "/" ? "" : `?next=${encodeURIComponent(path)}`;
      navigate(`${SIGN_IN}${next}`, { replace: true });
    } else if (current && path === SIGN_IN) {
      navigate("/", { replace: true });
    }
  }, [signedOut, current, path]);

  useFocusOnNavigation(path);

  if (!known) {
    return session.error !== undefined ? (
      <main className="page">
        <ErrorState error={session.error} onRetry={session.reload} />
      </main>
    ) : (
      <Loading label="Loading…" />
    );
  }
  // Whoever opens a reset link gets the page, signed in or not.
  if (path === RESET_PASSWORD) return <ResetPasswordPage onPasswordChanged={passwordChanged} />;
  const invitationId = invitationIdOf(path);
  if (!current) {
    if (path === SIGN_IN) return <SignInPage onSignedIn={refreshSession} />;
    return invitationId ? <InvitationSignedOutPage invitationId={invitationId} /> : null;
  }

  return (
    <Layout user={current.user} onSignOut={signOut}>
      {path === SIGN_IN ? null : invitationId ? (
        <InvitationPage
          key={invitationId}
          invitationId={invitationId}
          email={current.user.email}
          onSwitchAccount={switchAccount}
        />
      ) : (
        <SignedInPage user={current.user} path={path} />
      )}
    </Layout>
  );
}

function SignedInPage({ user, path }: { user: SessionUser; path: string }) {
  if (path === "/") return <CompaniesPage user={user} />;
  const [area, first, ...rest] = path
    .split("/")
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));
  if (area === "companies" && first) {
    // Keyed by company: nothing of one company's state survives into another's page.
    return <CompanyPage key={first} companyId={first} segments={rest} />;
  }
  const platform = area === "platform" && PLATFORM_SECTIONS.find((section) => section.slug === first);
  if (platform) {
    return isOperator(user) ? (
      <Suspense fallback={<Loading label={`Loading ${platform.label.toLowerCase()}…`} />}>
        <platform.Screen rest={rest} />
      </Suspense>
    ) : (
      <NotFoundPage />
    );
  }
  return <NotFoundPage />;
}

/** After a navigation (not on the first page load), focus the new page's heading. */
function useFocusOnNavigation(path: string) {
  const shown = useRef(path);
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    const main = document.getElementById("main");
    (main?.querySelector<HTMLElement>("h1") ?? main)?.focus();
  }, [path]);
}
