// The members operations (one file each, beside this index), mounted by app.ts through ../index.ts.
import type { Operation } from "../../lib/operation.ts";

export const membersOperations: Operation[] = [];
