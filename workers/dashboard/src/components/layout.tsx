import type { ReactNode } from "react";
import { isOperator, type SessionUser } from "../lib/auth.ts";
import { PLATFORM_SECTIONS } from "../pages/platform/sections.ts";
import { Link } from "./link.tsx";

export function Layout({
  user,
  onSignOut,
  children,
}: {
  user: SessionUser;
  onSignOut: () => void;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="product" href="/">
          Nexus Central
        </Link>
        <nav aria-label="Main">
          <Link href="/">Companies</Link>
          {isOperator(user) &&
            PLATFORM_SECTIONS.map((section) => (
              <Link key={section.slug} href={`/platform/${section.slug}`}>
                {section.label}
              </Link>
            ))}
        </nav>
        <div className="account">
          <span className="account-email">{user.email}</span>
          {isOperator(user) && <span className="badge badge-operator">Operator</span>}
          <button type="button" className="button button-on-brand" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {/* Focused after each navigation, so keyboard and screen reader users start at the content. */}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
