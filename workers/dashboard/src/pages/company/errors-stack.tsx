// One event as a developer reads it: the exception chain with its stack traces (most recent call
// first, the app's own frames emphasised, source context where the event or a source map gave it,
// and — on demand — where a symbolicated frame was in the minified file), the breadcrumbs leading to
// it, its tags and its user.
import type { ErrorBreadcrumb, ErrorEventData, ErrorException, ErrorStackFrame } from "@nexus/contracts";
import { useId, useState } from "react";
import { formatDateTime } from "../../lib/format.ts";

/** "file.ts:12:5"; the function alone when the frame has no file. */
export function framePosition(frame: {
  filename?: string | null;
  abs_path?: string | null;
  lineno?: number | null;
  colno?: number | null;
}): string {
  const file = frame.filename ?? frame.abs_path ?? "<unknown>";
  const line = frame.lineno == null ? "" : `:${frame.lineno}${frame.colno == null ? "" : `:${frame.colno}`}`;
  return `${file}${line}`;
}

const hasContext = (frame: ErrorStackFrame): boolean => frame.context_line != null;

export function EventStack({ event }: { event: ErrorEventData }) {
  const [minified, setMinified] = useState(false);
  const symbolicated = event.exceptions.some((exception) => exception.frames.some((frame) => frame.minified));
  // Sentry's order is the outermost exception last and the innermost frame last: people read the
  // exception that was thrown last, and the most recent call, first.
  const chain = [...event.exceptions].reverse();
  return (
    <div className="errors-stack">
      {symbolicated && (
        <button
          type="button"
          className="button button-quiet errors-minified-toggle"
          aria-pressed={minified}
          onClick={() => setMinified(!minified)}
        >
          {minified ? "Hide minified positions" : "Show minified positions"}
        </button>
      )}
      {event.message && chain.length > 0 && <p className="errors-message">{event.message}</p>}
      {chain.map((exception, index) => (
        <Exception
          // biome-ignore lint/suspicious/noArrayIndexKey: an event's chain never changes order.
          key={index}
          exception={exception}
          cause={index > 0}
          showMinified={minified}
        />
      ))}
    </div>
  );
}

function Exception({
  exception,
  cause,
  showMinified,
}: {
  exception: ErrorException;
  cause: boolean;
  showMinified: boolean;
}) {
  const frames = [...exception.frames].reverse();
  // The most recent frame of the app's own code opens with its source; the others on demand.
  const firstAppFrame = frames.findIndex((frame) => frame.in_app === true && hasContext(frame));
  const handled = exception.mechanism?.handled;
  return (
    <section className="errors-exception" aria-label={`Exception ${exception.type ?? "Error"}`}>
      <h4>
        {cause && <span className="muted small">Caused </span>}
        <span className="mono">{exception.type ?? "Error"}</span>
        {handled === false && <span className="badge errors-level-fatal">Unhandled</span>}
      </h4>
      {exception.value && <p className="errors-exception-value">{exception.value}</p>}
      {frames.length === 0 ? (
        <p className="muted small">No stack trace.</p>
      ) : (
        <ol className="errors-frames" aria-label="Stack trace, most recent call first">
          {frames.map((frame, index) => (
            <Frame
              // biome-ignore lint/suspicious/noArrayIndexKey: frames are positions in a fixed trace.
              key={index}
              frame={frame}
              open={index === firstAppFrame}
              showMinified={showMinified}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function Frame({
  frame,
  open,
  showMinified,
}: {
  frame: ErrorStackFrame;
  open: boolean;
  showMinified: boolean;
}) {
  const app = frame.in_app === true;
  const heading = (
    <>
      <span className="mono errors-frame-function">{frame.function ?? "<anonymous>"}</span>
      <span className="muted small"> at </span>
      <span className="mono errors-frame-position" data-testid="frame-position">
        {framePosition(frame)}
      </span>
      {app && <span className="badge errors-in-app">In app</span>}
      {showMinified && frame.minified && (
        <span className="mono small muted block" data-testid="frame-minified">
          minified: {framePosition(frame.minified)}
        </span>
      )}
    </>
  );
  return (
    <li className={app ? "errors-frame errors-frame-app" : "errors-frame"}>
      {hasContext(frame) ? (
        <details open={open}>
          <summary>{heading}</summary>
          <FrameContext frame={frame} />
        </details>
      ) : (
        <div className="errors-frame-plain">{heading}</div>
      )}
    </li>
  );
}

function FrameContext({ frame }: { frame: ErrorStackFrame }) {
  const pre = frame.pre_context ?? [];
  const post = frame.post_context ?? [];
  const line = frame.lineno ?? null;
  const rows = [
    ...pre.map((text, index) => ({
      text,
      at: line === null ? null : line - pre.length + index,
      current: false,
    })),
    { text: frame.context_line ?? "", at: line, current: true },
    ...post.map((text, index) => ({ text, at: line === null ? null : line + 1 + index, current: false })),
  ];
  return (
    <pre className="errors-context" data-testid="frame-context">
      {rows.map((row, index) => (
        <code
          // biome-ignore lint/suspicious/noArrayIndexKey: source lines of one frame.
          key={index}
          className={row.current ? "errors-context-line errors-context-current" : "errors-context-line"}
          aria-current={row.current ? "true" : undefined}
        >
          <span className="errors-context-number" aria-hidden="true">
            {row.at ?? ""}
          </span>
          {row.text}
        </code>
      ))}
    </pre>
  );
}

const breadcrumbTime = (seconds: number | null | undefined): string =>
  seconds == null ? "" : formatDateTime(new Date(seconds * 1000).toISOString());

function breadcrumbText(crumb: ErrorBreadcrumb): string {
  if (crumb.message) return crumb.message;
  return crumb.data ? JSON.stringify(crumb.data) : "";
}

export function Breadcrumbs({ breadcrumbs }: { breadcrumbs: readonly ErrorBreadcrumb[] }) {
  const headingId = useId();
  if (breadcrumbs.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Breadcrumbs</h3>
      <div className="table-scroll">
        <table className="admin-table errors-breadcrumbs">
          <caption className="visually-hidden">What happened before the error, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Category</th>
              <th scope="col">Level</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {breadcrumbs.map((crumb, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an event's breadcrumbs are fixed.
              <tr key={index}>
                <td className="small">{breadcrumbTime(crumb.timestamp)}</td>
                <td className="mono small">{crumb.category ?? crumb.type ?? ""}</td>
                <td className="small">{crumb.level ?? ""}</td>
                <td className="errors-breadcrumb-message">{breadcrumbText(crumb)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A short key–value list (tags, the user, the SDK). */
export function KeyValues({ title, entries }: { title: string; entries: readonly [string, string][] }) {
  const headingId = useId();
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <dl className="errors-key-values">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function userEntries(user: ErrorEventData["user"]): [string, string][] {
  if (!user) return [];
  const entries: [string, string | null | undefined][] = [
    ["ID", user.id],
    ["Email", user.email],
    ["Username", user.username],
    ["IP address", user.ip_address],
  ];
  return entries.filter((entry): entry is [string, string] => Boolean(entry[1]));
}
