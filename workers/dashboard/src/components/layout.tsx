import { type ReactNode, useState } from "react";
import { isOperator, type SessionUser } from "../lib/auth.ts";
import { type CompanyLogo, CompanyLogoContext } from "../lib/branding.ts";
import { useLocation } from "../lib/router.ts";
import { PLATFORM_SECTIONS } from "../pages/platform/sections.ts";
import { Link } from "./link.tsx";

/** Which main-navigation entry the address belongs to: "companies" or "platform/{slug}". */
function areaOf(location: string): string {
  const [first = "", second = ""] = (location.split("?")[0] ?? "").split("/").filter(Boolean);
  return first === "platform" ? `platform/${second}` : "companies";
}

export function Layout({
  user,
  onSignOut,
  children,
}: {
  user: SessionUser;
  onSignOut: () => void;
  children: ReactNode;
}) {
  // Set by a company's pages while they are shown (lib/branding.ts).
  const [logo, setLogo] = useState<CompanyLogo | null>(null);
  const area = areaOf(useLocation());
  return (
    <CompanyLogoContext.Provider value={setLogo}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="product" href="/">
          Nexus Central
        </Link>
        {logo && (
          // On a white tile: logos are mostly drawn for white, whatever the brand color behind.
          <img className="topbar-logo" src={logo.url} alt={`${logo.companyName} logo`} />
        )}
        <nav aria-label="Main">
          <Link href="/" aria-current={area === "companies" ? "page" : undefined}>
            Companies
          </Link>
          {isOperator(user) &&
            PLATFORM_SECTIONS.map((section) => (
              <Link
                key={section.slug}
                href={`/platform/${section.slug}`}
                aria-current={area === `platform/${section.slug}` ? "page" : undefined}
              >
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
    </CompanyLogoContext.Provider>
  );
}
