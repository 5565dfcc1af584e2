// The notification stand-ins on a local port, for `pnpm dev` (the workers tests reach the same
// handler through miniflare's outbound service instead). With a callback origin, the delivery
// webhooks are also posted to the API there. Run directly, it prints its origin:
//   node scripts/notify-stand-ins/server.ts [--port 8791] [--callback http://127.0.0.1:8787]
import { parseArgs } from "node:util";
import { type LlmStandIns, serveStandIn } from "../llm-stand-ins/server.ts";
import { handleNotifyStandIn, notifyStandInVars } from "./handler.ts";
import { setCallbackOrigin } from "./webhooks.ts";

export type NotifyStandIns = LlmStandIns;

export function startNotifyStandIns(
  options: { port?: number; host?: string; callbackOrigin?: string | null } = {},
): Promise<NotifyStandIns> {
  setCallbackOrigin(options.callbackOrigin ?? null);
  return serveStandIn(handleNotifyStandIn, options, "notification stand-ins");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" }, callback: { type: "string" } },
  });
  const standIns = await startNotifyStandIns({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
    callbackOrigin: values.callback ?? null,
  });
  console.log(standIns.url);
  for (const [name, value] of Object.entries(notifyStandInVars(standIns.url)))
    console.error(`  ${name}=${value}`);
  const stop = () => void standIns.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
