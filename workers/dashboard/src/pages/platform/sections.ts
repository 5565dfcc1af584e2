// The operator's platform screens, under /platform/{slug}, in the order of the main navigation.
import type { ComponentType } from "react";
import { RegistrationTokensPage } from "./registration-tokens.tsx";
import { PlatformReleases } from "./releases.tsx";
import { TenantPoolPage } from "./tenant-pool.tsx";

export interface PlatformSection {
  slug: string;
  label: string;
  /** Gets the address's segments after /platform/{slug}/. */
  Screen: ComponentType<{ rest: readonly string[] }>;
}

export const PLATFORM_SECTIONS: readonly PlatformSection[] = [
  { slug: "releases", label: "Releases", Screen: PlatformReleases },
  { slug: "registration-tokens", label: "Registration tokens", Screen: RegistrationTokensPage },
  { slug: "tenant-pool", label: "Tenant pool", Screen: TenantPoolPage },
];
