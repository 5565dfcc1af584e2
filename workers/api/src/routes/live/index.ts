// The live channel: each company's WebSockets, held by its CompanyHub, and the operator's view of
// that hub (broadcasts, counters).
import type { Operation } from "../../lib/operation.ts";
import { broadcast } from "./broadcast.ts";
import { hubStats } from "./hub-stats.ts";
import { liveSocket } from "./live-socket.ts";

export const liveOperations: Operation[] = [liveSocket, broadcast, hubStats];
