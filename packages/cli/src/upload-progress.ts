// Per-file upload progress on stderr: a bar redrawn in place on a terminal; in logs (CI, pipes) a
// line per 10 % step, so a slow upload still shows it is moving without flooding the log.
import { formatBytes, type TerminalSink } from "./io.ts";

export interface UploadProgress {
  /** Count bytes handed to the connection. */
  advance(bytes: number): void;
  /** The file is stored: final line, ended with a newline. */
  finish(note: string): void;
  /** Leave the line (a terminal's cursor moves on) so an error message starts on its own. */
  abandon(): void;
}

const BAR_WIDTH = 24;

export function startUploadProgress(sink: TerminalSink, label: string, total: number): UploadProgress {
  const tty = sink.isTTY === true;
  let sent = 0;
  let shownPercent = -1;
  let shownDecile = 0;
  let open = false;

  const percentOf = (bytes: number) => (total === 0 ? 100 : Math.floor((bytes / total) * 100));
  const line = (percent: number) => {
    const filled = Math.round((percent / 100) * BAR_WIDTH);
    const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
    return `${label}  ${bar} ${String(percent).padStart(3)}%  ${formatBytes(sent)} / ${formatBytes(total)}`;
  };
  const redraw = (percent: number, end = "") => {
    sink.write(`\r${line(percent)}\u001b[K${end}`);
    open = end === "";
  };

  if (tty) redraw(0);
  return {
    advance(bytes) {
      sent = Math.min(total, sent + bytes);
      const percent = percentOf(sent);
      if (tty) {
        if (percent !== shownPercent) redraw(percent);
        shownPercent = percent;
        return;
      }
      // 10 % … 90 %; the 100 % line is finish's.
      const decile = Math.floor(percent / 10);
      if (decile > shownDecile && decile < 10) {
        shownDecile = decile;
        sink.write(`${line(decile * 10)}\n`);
      }
    },
    finish(note) {
      sent = total;
      if (tty) redraw(100, `  ${note}\n`);
      else sink.write(`${line(100)}  ${note}\n`);
      open = false;
    },
    abandon() {
      if (open) sink.write("\n");
      open = false;
    },
  };
}

/** Passes a byte stream through, reporting each chunk's size as fetch reads it. */
export function countBytes(
  stream: ReadableStream<Uint8Array>,
  onBytes: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
}
