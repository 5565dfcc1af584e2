// A minimal BenchRoute for the bench's unit tests (route selection, the report's comparisons).
import type { BenchRoute } from "./routes.ts";

export const testRoute = (name: string, extra: Partial<BenchRoute> = {}): BenchRoute => ({
  name,
  description: name,
  method: "GET",
  request: () => ({ path: `/${name}` }),
  ...extra,
});
