// A webhook receiver for the telemetry tests, running in Node as the worker's outbound service: every
// fetch the worker makes lands here. `https://<host>/<behaviour>/<inbox>` answers per behaviour and
// records the request in that inbox; `GET https://receiver.test/inbox/<inbox>` lists what arrived.

export interface ReceivedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const inboxes = new Map<string, ReceivedRequest[]>();

const behaviours: Record<string, (inbox: string) => Response> = {
  ok: () => new Response("thanks", { status: 200 }),
  fail: () => new Response("broken on purpose", { status: 500 }),
  // Points at another inbox, which stays empty unless the redirect is followed.
  redirect: (inbox) =>
    new Response(null, {
      status: 302,
      headers: { location: `https://hooks.example.com/ok/${inbox}-target` },
    }),
};

export async function webhookReceiver(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const [, first = "", inbox = ""] = url.pathname.split("/");
  if (url.hostname === "receiver.test" && first === "inbox") {
    return Response.json(inboxes.get(inbox) ?? []);
  }
  const behaviour = behaviours[first];
  if (!behaviour) return new Response("no such behaviour", { status: 404 });
  const received = inboxes.get(inbox) ?? [];
  received.push({
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  });
  inboxes.set(inbox, received);
  return behaviour(inbox);
}
