import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/central.ts", "./src/auth.ts"],
  out: "../../migrations/central",
});
