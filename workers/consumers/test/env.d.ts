// Bindings only the tests have (vitest.config.ts adds them beside the worker's own).
import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_CENTRAL_MIGRATIONS: D1Migration[];
      /** A producer the tests send through (vitest.config.ts): the worker itself only consumes it. */
      TELEMETRY_QUEUE: Queue;
      /** The errors queue's producer (the API's binding), for tests that go through the real queue. */
      ERRORS_QUEUE: Queue;
    }
  }
}
