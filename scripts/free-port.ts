import { once } from "node:events";
import { createServer } from "node:net";

/** A port on 127.0.0.1 that is free now, for a server whose origin must be known before it starts. */
export async function freeLocalPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (typeof address !== "object" || !address) throw new Error("the OS gave no port");
  return address.port;
}
