import { operation } from "../../lib/operation.ts";

export const live = operation("live", async () => ({ status: "ok" }));
