import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/tenant.ts",
  out: "../../migrations/tenant",
});
