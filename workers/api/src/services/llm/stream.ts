// A streamed completion in OpenAI's server-sent events, whatever provider streams it: a first chunk
// with the role, one per text delta, one with the finish reason, the usage chunk when the client
// asked for it (`stream_options.include_usage`), then `data: [DONE]`. The usage row is written when
// the stream is over however it ends: with the provider's usage, or, for a stream the provider cut
// or the client left, the gateway's count of what was sent (`estimated`). A cut stream ends with an
// error event instead of [DONE], so a client never mistakes half an answer for a whole one.
import type { ChatCompletion } from "@nexus/contracts";
import { keepCompletion } from "./cache.ts";
import { estimatedUsage, finish, type GatewayCall } from "./call.ts";
import { chunkEvent, completionView, DONE_EVENT } from "./openai-format.ts";
import type { FinishReason, StreamEvent, TokenUsage } from "./providers/types.ts";
import type { GatewayTarget } from "./targets.ts";

export interface StreamSource {
  target: GatewayTarget;
  events: AsyncIterable<StreamEvent>;
  abort: () => void;
  cacheKey: string | null;
}

const encoder = new TextEncoder();

function eventStream(call: GatewayCall, body: ReadableStream<Uint8Array>): Response {
  return call.c.body(body, 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
}

const cutEvent = (requestId: string) =>
  `data: ${JSON.stringify({
    error: {
      code: "UPSTREAM_UNAVAILABLE",
      message:
        "The provider's stream broke off before the answer was complete; what was sent is billed as counted.",
      request_id: requestId,
    },
  })}\n\n`;

export function completionStream(call: GatewayCall, source: StreamSource): Response {
  const { head, request, input } = call;
  const includeUsage = request.stream_options?.include_usage === true;
  const iterator = source.events[Symbol.asyncIterator]();
  let text = "";
  let finishReason: FinishReason | null = null;
  let usage: TokenUsage | null = null;
  let over = false;

  const end = (cut: boolean) => {
    if (over) return;
    over = true;
    const counted = usage ?? estimatedUsage(input, text);
    const complete = !cut && finishReason !== null;
    finish(call, {
      status: complete ? "ok" : "cut",
      httpStatus: 200,
      target: source.target,
      providerModel: source.target.model,
      usage: counted,
      estimated: usage === null,
      output: text,
    });
    if (complete && usage && finishReason && source.cacheKey) {
      keepCompletion(call.c.executionCtx, call.tenantDb, {
        key: source.cacheKey,
        model: request.model,
        completion: completionView(head, text, finishReason, usage),
        ttlSeconds: call.policy.cache_ttl_seconds,
      });
    }
    return { counted, complete };
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(chunkEvent(head, { delta: { role: "assistant", content: "" }, finish: null })),
      );
    },
    async pull(controller) {
      const next = await iterator.next();
      if (!next.done) {
        const event = next.value;
        if (event.type === "text" && event.text !== "") {
          text += event.text;
          controller.enqueue(
            encoder.encode(chunkEvent(head, { delta: { content: event.text }, finish: null })),
          );
        } else if (event.type === "finish") {
          finishReason = event.reason;
          controller.enqueue(encoder.encode(chunkEvent(head, { delta: {}, finish: event.reason })));
        } else if (event.type === "usage") {
          usage = event.usage;
        }
        return;
      }
      const ended = end(false);
      if (!ended) return;
      if (includeUsage) controller.enqueue(encoder.encode(chunkEvent(head, { usage: ended.counted })));
      controller.enqueue(encoder.encode(ended.complete ? DONE_EVENT : cutEvent(call.c.get("requestId"))));
      controller.close();
    },
    async cancel() {
      // The client went away: stop the provider (no more tokens to pay for) and log what was sent.
      source.abort();
      end(true);
      await iterator.return?.();
    },
  });
  return eventStream(call, body);
}

/** A cache hit asked for as a stream: the whole answer in one delta. */
export function cachedStream(call: GatewayCall, completion: ChatCompletion): Response {
  const { head } = call;
  const choice = completion.choices[0];
  const usage = {
    inputTokens: completion.usage.prompt_tokens,
    cachedTokens: completion.usage.prompt_tokens_details.cached_tokens,
    outputTokens: completion.usage.completion_tokens,
  };
  const events = [
    chunkEvent(head, { delta: { role: "assistant", content: "" }, finish: null }),
    chunkEvent(head, { delta: { content: choice?.message.content ?? "" }, finish: null }),
    chunkEvent(head, { delta: {}, finish: choice?.finish_reason ?? "stop" }),
    ...(call.request.stream_options?.include_usage === true ? [chunkEvent(head, { usage })] : []),
    DONE_EVENT,
  ];
  return eventStream(call, new Response(events.join("")).body ?? new ReadableStream());
}
