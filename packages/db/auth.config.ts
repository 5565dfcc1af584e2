// Only for generating better-auth's tables (`pnpm db:generate` runs the `auth` CLI on this): the
// shared auth options (src/auth-options.ts, which the API builds its instance from) with an adapter
// that never connects.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { authOptions } from "./src/auth-options.ts";

export const auth = betterAuth({
  ...authOptions(),
  database: drizzleAdapter({}, { provider: "sqlite" }),
});
