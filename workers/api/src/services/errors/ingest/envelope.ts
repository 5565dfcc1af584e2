// Sentry's envelope format (develop.sentry.dev/sdk/envelopes): a JSON header line, then items, each a
// JSON item header line and a payload. A payload with a `length` in its header is exactly that many
// bytes (it may hold newlines, or binary attachments) followed by an optional newline; without one
// it runs to the next newline. The last newline is optional. Pure: bytes in, parts out, or an
// EnvelopeError saying where the framing broke.

export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Uint8Array;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** The envelope (or a store request's event) cannot be read; answered 400 ENVELOPE_INVALID. */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

/** The line starting at `start`: its end (exclusive, without the newline) and where the next begins. */
function lineAt(bytes: Uint8Array, start: number): { end: number; next: number } {
  const newline = bytes.indexOf(NEWLINE, start);
  return newline === -1 ? { end: bytes.length, next: bytes.length } : { end: newline, next: newline + 1 };
}

/** A JSON object from bytes (a header line, an item's payload); `what` names it in the error. */
export function jsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    // A \r before the newline (a hand-written envelope on Windows) is JSON whitespace.
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new EnvelopeError(`The ${what} is not JSON.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EnvelopeError(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

const isBlank = (bytes: Uint8Array) => bytes.every((byte) => byte === 0x20 || byte === 0x0d || byte === 0x09);

/** The envelope's header alone (the first line), for finding its `dsn` before anything else is read. */
export function parseEnvelopeHeader(bytes: Uint8Array): Record<string, unknown> {
  const { end } = lineAt(bytes, 0);
  if (isBlank(bytes.subarray(0, end)))
    throw new EnvelopeError("The envelope is empty: it has no header line.");
  return jsonObject(bytes.subarray(0, end), "envelope header (line 1)");
}

export function parseEnvelope(bytes: Uint8Array, maxItems = 1000): Envelope {
  const header = parseEnvelopeHeader(bytes);
  const items: EnvelopeItem[] = [];
  let position = lineAt(bytes, 0).next;
  while (position < bytes.length) {
    const line = lineAt(bytes, position);
    const headerBytes = bytes.subarray(position, line.end);
    // Blank lines between or after items (an extra trailing newline) carry nothing.
    if (isBlank(headerBytes)) {
      position = line.next;
      continue;
    }
    const index = items.length + 1;
    if (index > maxItems) throw new EnvelopeError(`The envelope has more than ${maxItems} items.`);
    const itemHeader = jsonObject(headerBytes, `header of item ${index}`);
    const type = itemHeader.type;
    if (typeof type !== "string" || type === "") {
      throw new EnvelopeError(`Item ${index} has no \`type\` in its header.`);
    }
    let payload: Uint8Array;
    if (itemHeader.length === undefined || itemHeader.length === null) {
      const payloadLine = lineAt(bytes, line.next);
      payload = bytes.subarray(line.next, payloadLine.end);
      position = payloadLine.next;
    } else {
      const length = itemHeader.length;
      if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
        throw new EnvelopeError(`Item ${index} (${type}) has an invalid \`length\`.`);
      }
      // The header's own newline is required when a payload follows; an empty payload may end the body.
      if (line.next === line.end && length > 0) {
        throw new EnvelopeError(`Item ${index} (${type}) declares ${length} bytes but the envelope ends.`);
      }
      const end = line.next + length;
      if (end > bytes.length) {
        throw new EnvelopeError(
          `Item ${index} (${type}) declares ${length} bytes but only ${bytes.length - line.next} follow.`,
        );
      }
      payload = bytes.subarray(line.next, end);
      if (end < bytes.length && bytes[end] !== NEWLINE) {
        throw new EnvelopeError(`Item ${index} (${type}) is longer than its declared ${length} bytes.`);
      }
      position = end + 1;
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}
