// The warm pool of tenant databases registration claims from (services/tenant-pool.ts).
import type { Operation } from "../../lib/operation.ts";
import { tenantPoolStatus } from "./tenant-pool-status.ts";

export const tenantPoolOperations: Operation[] = [tenantPoolStatus];
