// Only for generating better-auth's tables (`pnpm db:generate` runs the `auth` CLI on this): the
// API's auth options with an adapter that never connects.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { authOptions } from "../../workers/api/src/auth/options.ts";

export const auth = betterAuth({
  ...authOptions(),
  database: drizzleAdapter({}, { provider: "sqlite" }),
});
