// Crash-free sessions and users per release: a company's, and the platform's per published release.
import type { Operation } from "../../lib/operation.ts";
import { getCompanyReleaseHealth } from "./get-company-release-health.ts";
import { getReleaseHealth } from "./get-release-health.ts";

export const releaseHealthOperations: Operation[] = [getCompanyReleaseHealth, getReleaseHealth];
