import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.CENTRAL_DB, env.TEST_CENTRAL_MIGRATIONS);
