// One call in the log: when, the model asked for, who answered (provider and model, at which
// fallback step), tokens, cost, latency and outcome; its details row lists every attempt and, when
// the company keeps them, the prompt and the output.
import { useId } from "react";
import { type Column, DetailRow, DetailsButton } from "../../components/row-details.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { formatUsdMicros } from "../../lib/money.ts";
import { CALL_STATUS_LABELS, type CallStatus, type LlmCall, PROVIDER_LABELS } from "./llm-data.ts";

const STATUS_BADGES: Record<CallStatus, string> = {
  ok: "badge-online",
  cached: "badge-online",
  cut: "badge-offline",
  error: "badge-inactive",
};

const count = new Intl.NumberFormat("en");

export const CALL_COLUMNS: readonly Column[] = [
  { label: "Time" },
  { label: "Model" },
  { label: "Answered by" },
  { label: "Tokens in / cached / out" },
  { label: "Cost" },
  { label: "Latency", className: "wide-only" },
  { label: "Status" },
  { label: "Details", hidden: true },
];

/** "1st target", "2nd target (fallback)": which of the model's targets answered. */
function stepLabel(step: number | null): string {
  if (step === null) return "no target answered";
  const n = step + 1;
  const suffix =
    n % 10 === 1 && n !== 11
      ? "st"
      : n % 10 === 2 && n !== 12
        ? "nd"
        : n % 10 === 3 && n !== 13
          ? "rd"
          : "th";
  return `${n}${suffix} target${step > 0 ? " (fallback)" : ""}`;
}

function CallDetail({ id, call, caller }: { id: string; call: LlmCall; caller: string }) {
  return (
    <div id={id} className="llm-call-detail">
      <dl className="llm-facts">
        <div>
          <dt>Request id</dt>
          <dd className="mono">{call.request_id}</dd>
        </div>
        <div>
          <dt>Caller</dt>
          <dd>{caller}</dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            {call.key_source === "byok" ? "Your key" : call.key_source === "platform" ? "Platform key" : "—"}
          </dd>
        </div>
        <div>
          <dt>Streamed</dt>
          <dd>{call.stream ? "Yes" : "No"}</dd>
        </div>
        <div>
          <dt>HTTP status</dt>
          <dd>{call.http_status}</dd>
        </div>
        <div>
          <dt>Prices</dt>
          <dd className="mono">{call.price_version}</dd>
        </div>
      </dl>
      <h4>Attempts</h4>
      {call.attempts.length === 0 ? (
        <p className="muted small">None: the call was answered or refused before reaching a provider.</p>
      ) : (
        <ol className="llm-attempts">
          {call.attempts.map((attempt, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: attempts are a fixed, ordered record
            <li key={index}>
              {PROVIDER_LABELS[attempt.provider]} <span className="mono">{attempt.model}</span>:{" "}
              {attempt.skipped
                ? "skipped (its circuit breaker was open)"
                : attempt.status === 0
                  ? "not reached"
                  : attempt.status === 504
                    ? `no answer in time (${attempt.latency_ms} ms)`
                    : `HTTP ${attempt.status} in ${attempt.latency_ms} ms`}
            </li>
          ))}
        </ol>
      )}
      {call.prompt !== null && (
        <>
          <h4>Prompt</h4>
          <pre className="llm-content">{call.prompt}</pre>
        </>
      )}
      {call.output !== null && (
        <>
          <h4>Output</h4>
          <pre className="llm-content">{call.output}</pre>
        </>
      )}
    </div>
  );
}

export function CallRows({
  call,
  caller,
  open,
  onToggle,
}: {
  call: LlmCall;
  /** The API key's name, or the installation. */
  caller: string;
  open: boolean;
  onToggle: () => void;
}) {
  const detailId = useId();
  return (
    <>
      <tr>
        <td>
          <time dateTime={call.created_at}>{formatDateTime(call.created_at)}</time>
        </td>
        <th scope="row" className="mono">
          {call.model}
        </th>
        <td>
          {call.provider ? (
            <>
              {PROVIDER_LABELS[call.provider]}
              <span className="muted small mono block">{call.provider_model}</span>
              <span className="muted small block">{stepLabel(call.fallback_step)}</span>
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td>
          {count.format(call.input_tokens)} / {count.format(call.cached_tokens)} /{" "}
          {count.format(call.output_tokens)}
          {call.estimated && (
            <span
              className="badge badge-offline llm-estimated"
              title="The provider sent no usage: counted by the gateway"
            >
              estimated
            </span>
          )}
        </td>
        <td>{formatUsdMicros(call.cost_usd_micros)}</td>
        <td className="wide-only">{count.format(call.latency_ms)} ms</td>
        <td>
          <span className={`badge ${STATUS_BADGES[call.status]}`}>
            <span className="dot" aria-hidden="true" />
            {CALL_STATUS_LABELS[call.status]}
          </span>
        </td>
        <td>
          <DetailsButton
            open={open}
            onToggle={onToggle}
            controls={detailId}
            of={`of the ${call.model} call at ${formatDateTime(call.created_at)}`}
          />
        </td>
      </tr>
      <DetailRow open={open} columns={CALL_COLUMNS.length}>
        <CallDetail id={detailId} call={call} caller={caller} />
      </DetailRow>
    </>
  );
}
