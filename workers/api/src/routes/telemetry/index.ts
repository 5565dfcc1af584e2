// Telemetry in: batches of machine samples and app usage events, queued for roll-up by workers/consumers.
import type { Operation } from "../../lib/operation.ts";
import { ingestTelemetry } from "./ingest-telemetry.ts";

export const telemetryOperations: Operation[] = [ingestTelemetry];
