// Feature flags per company, evaluated by role and showroom type (seed 001: e.g. trade pricing only
// in trade showrooms, the site-survey tool for surveyors). Apps get them evaluated: installations
// at validate, signed-in users from …/feature-flags/me.
import type { Operation } from "../../lib/operation.ts";
import { listFeatureFlags } from "./list-feature-flags.ts";
import { myFeatureFlags } from "./my-feature-flags.ts";
import { putFeatureFlags } from "./put-feature-flags.ts";

export const featureFlagsOperations: Operation[] = [listFeatureFlags, putFeatureFlags, myFeatureFlags];
