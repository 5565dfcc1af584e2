// The operator's platform screens, under /platform/{slug}, in the order of the main navigation.
import type { ComponentType } from "react";
import { lazyScreen } from "../../lib/lazy-screen.ts";

export interface PlatformSection {
  slug: string;
  label: string;
  /** Gets the address's segments after /platform/{slug}/. */
  Screen: ComponentType<PlatformScreenProps>;
}

type PlatformScreenProps = { rest: readonly string[] };
const screen = lazyScreen<PlatformScreenProps>;

export const PLATFORM_SECTIONS: readonly PlatformSection[] = [
  {
    slug: "releases",
    label: "Releases",
    Screen: screen(async () => (await import("./releases.tsx")).PlatformReleases),
  },
  {
    slug: "registration-tokens",
    label: "Registration tokens",
    Screen: screen(async () => (await import("./registration-tokens.tsx")).RegistrationTokensPage),
  },
  {
    slug: "dead-letters",
    label: "Dead letters",
    Screen: screen(async () => (await import("./dead-letters.tsx")).DeadLettersPage),
  },
  {
    slug: "alerts",
    label: "Alerts",
    Screen: screen(async () => (await import("./operator-alerts.tsx")).OperatorAlertsPage),
  },
  {
    slug: "tenant-pool",
    label: "Tenant pool",
    Screen: screen(async () => (await import("./tenant-pool.tsx")).TenantPoolPage),
  },
];
