/** One server-sent event: `event` only when the server named it; `data` lines joined by "\n". */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Parses a byte stream as server-sent events (WHATWG "event stream interpretation"): LF, CRLF and
 * CR line ends, multi-line data, comments, and chunk boundaries anywhere, inside a CRLF pair or a
 * UTF-8 sequence included. An event still open when the body ends is dropped, as a browser does:
 * a cut upstream must not hand over half an event. Ending the iteration early cancels the body.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  // A CR that ended the previous chunk: an LF starting the next one belongs to the same line end.
  let skipLeadingLf = false;
  let eventName: string | undefined;
  let data: string[] = [];

  const takeLine = (line: string): SseEvent | undefined => {
    if (line === "") {
      const ready =
        data.length > 0 ? { ...(eventName ? { event: eventName } : {}), data: data.join("\n") } : undefined;
      eventName = undefined;
      data = [];
      return ready;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") eventName = value;
    return undefined;
  };

  try {
    while (true) {
      const { done, value } = await reader.read();
      let text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (skipLeadingLf && text.length > 0) {
        if (text.startsWith("\n")) text = text.slice(1);
        skipLeadingLf = false;
      }
      buffer += text;
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        const char = buffer[index];
        if (char !== "\n" && char !== "\r") continue;
        const event = takeLine(buffer.slice(start, index));
        if (char === "\r") {
          if (index + 1 < buffer.length) {
            if (buffer[index + 1] === "\n") index++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = index + 1;
        if (event) yield event;
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    // Runs on normal end, on a read error and when the consumer stops early (generator return).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
