// Company API keys: server-to-server credentials, shown once, stored hashed (services/api-keys.ts).
import type { Operation } from "../../lib/operation.ts";
import { createApiKey } from "./create-api-key.ts";
import { listApiKeys } from "./list-api-keys.ts";
import { revokeApiKey } from "./revoke-api-key.ts";

export const apiKeysOperations: Operation[] = [listApiKeys, createApiKey, revokeApiKey];
