// Health checks and the installation tokens' public keys: routes that need no credential. (/docs and
// /openapi.json are not catalogue operations: docs.ts serves them.)
import type { Operation } from "../../lib/operation.ts";
import { health } from "./health.ts";
import { jwks } from "./jwks.ts";
import { live } from "./live.ts";

export const systemOperations: Operation[] = [health, live, jwks];
