// Rate limits per subscription tier: the defaults, and the operators' overrides of them.
import type { Operation } from "../../lib/operation.ts";
import { listRateLimits } from "./list-rate-limits.ts";
import { setRateLimit } from "./set-rate-limit.ts";

export const rateLimitsOperations: Operation[] = [listRateLimits, setRateLimit];
