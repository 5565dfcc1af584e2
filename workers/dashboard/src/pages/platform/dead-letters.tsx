// Dead letters and inbound webhooks: what the queues could not process. Dead letters (telemetry
// batches, webhook fan-outs and deliveries, inbound events that failed every retry) can be read,
// replayed onto their original queue, or discarded; inbound webhooks show their processing state,
// and one that was not processed can be queued again.
import {
  type DeadLetter,
  type DeadLetterDetail,
  type InboundWebhookEvent,
  type InboundWebhookState,
  routes,
} from "@nexus/contracts";
import { Fragment, useCallback, useState } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { type Choice, SelectField, TextField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState, ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { companyPath } from "../company/section.ts";
import { useDocumentTitle } from "../title.ts";
import "../../styles/platform.css";

type LetterState = DeadLetter["state"];
const LETTER_STATES: readonly Choice<LetterState | "">[] = [
  { value: "pending", label: "Pending" },
  { value: "replayed", label: "Replayed" },
  { value: "discarded", label: "Discarded" },
  { value: "", label: "Any" },
];
const LETTER_BADGE: Record<LetterState, string> = {
  pending: "badge-warning",
  replayed: "badge-online",
  discarded: "badge-inactive",
};
const QUEUES: readonly Choice<string>[] = [
  { value: "", label: "Any" },
  { value: "nexus-telemetry-dlq", label: "Telemetry (nexus-telemetry-dlq)" },
  { value: "nexus-events-dlq", label: "Webhooks (nexus-events-dlq)" },
];
const INBOUND_STATES: readonly Choice<InboundWebhookState | "">[] = [
  { value: "", label: "Any" },
  { value: "received", label: "Received" },
  { value: "queued", label: "Queued" },
  { value: "processed", label: "Processed" },
  { value: "failed", label: "Failed" },
];
const INBOUND_BADGE: Record<InboundWebhookState, string> = {
  received: "badge-warning",
  queued: "badge-offline",
  processed: "badge-online",
  failed: "badge-critical",
};

export function DeadLettersPage() {
  useDocumentTitle("Dead letters");
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Dead letters</h1>
          <p className="muted">
            Queue messages that failed every retry, and inbound webhooks with their processing state. Replay
            sends a message back to its queue once the cause is fixed; a message that fails again comes back
            here as a new dead letter.
          </p>
        </div>
      </div>
      <DeadLetterList />
      <InboundWebhookList />
    </div>
  );
}

function DeadLetterList() {
  const [state, setState] = useState<LetterState | "">("pending");
  const [queue, setQueue] = useState("");
  const [kind, setKind] = useState("");
  const [company, setCompany] = useState("");
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listDeadLetters, {
          query: {
            state: state || undefined,
            queue: queue || undefined,
            kind: kind.trim() || undefined,
            company_id: company.trim() || undefined,
            cursor,
          },
          signal,
        });
        return { items: page.dead_letters, nextCursor: page.next_cursor };
      },
      [state, queue, kind, company],
    ),
  );
  const [open, setOpen] = useState<DeadLetterDetail>();
  const [outcome, setOutcome] = useState<string>();
  const show = useAction(
    useCallback(async (deadLetterId: string) => {
      const { dead_letter } = await callApi(routes.getDeadLetter, { params: { deadLetterId } });
      setOpen(dead_letter);
    }, []),
  );
  const replay = useAction(
    useCallback(
      async (deadLetterId: string) => {
        await callApi(routes.replayDeadLetter, { params: { deadLetterId } });
        setOutcome("Replayed 1 dead letter.");
        list.reload();
      },
      [list.reload],
    ),
  );
  const replayAll = useAction(
    useCallback(
      async (ids: string[]) => {
        const result = await callApi(routes.replayDeadLetters, { body: { ids } });
        setOutcome(
          `Replayed ${result.replayed.length} dead letter${result.replayed.length === 1 ? "" : "s"}` +
            (result.skipped.length > 0 ? `; skipped ${result.skipped.length}.` : "."),
        );
        list.reload();
      },
      [list.reload],
    ),
  );
  const discard = useAction(
    useCallback(
      async (deadLetterId: string) => {
        await callApi(routes.discardDeadLetter, { params: { deadLetterId } });
        setOutcome("Discarded 1 dead letter.");
        list.reload();
      },
      [list.reload],
    ),
  );
  const pendingIds = list.items.filter((letter) => letter.state === "pending").map((letter) => letter.id);

  return (
    <section className="panel" aria-labelledby="dead-letters-heading">
      <h2 id="dead-letters-heading">Dead letters</h2>
      <search className="filters">
        <SelectField label="State" value={state} choices={LETTER_STATES} onChange={setState} />
        <SelectField label="Queue" value={queue} choices={QUEUES} onChange={setQueue} />
        <TextField
          label="Kind"
          value={kind}
          placeholder="samples, delivery, inbound…"
          onChange={(event) => setKind(event.target.value)}
        />
        <TextField label="Company id" value={company} onChange={(event) => setCompany(event.target.value)} />
      </search>
      <div className="filters">
        <button
          type="button"
          className="button"
          disabled={pendingIds.length === 0 || replayAll.pending}
          onClick={() => void replayAll.run(pendingIds.slice(0, 100))}
        >
          {replayAll.pending ? "Replaying…" : `Replay ${Math.min(pendingIds.length, 100)} pending listed`}
        </button>
        <p role="status" className="muted">
          {outcome}
        </p>
      </div>
      {[replay.error, replayAll.error, discard.error, show.error].map(
        (error, index) =>
          error !== undefined && (
            // biome-ignore lint/suspicious/noArrayIndexKey: one slot per action, always in this order
            <ErrorState key={index} error={error} />
          ),
      )}
      <PagedTable
        list={list}
        caption="Dead letters"
        loading="Loading dead letters…"
        empty={<EmptyState title={state ? `No ${state} dead letters` : "No dead letters"} />}
        columns={
          <>
            <th scope="col">Dead-lettered</th>
            <th scope="col">Queue</th>
            <th scope="col">Kind</th>
            <th scope="col">Company</th>
            <th scope="col">Attempts</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        row={(letter) => (
          <Fragment key={letter.id}>
            <tr>
              <th scope="row">{formatDateTime(letter.created_at)}</th>
              <td>
                {letter.original_queue}
                <div className="muted">{letter.body_bytes} bytes</div>
              </td>
              <td>{letter.kind ?? <span className="muted">—</span>}</td>
              <td>
                {letter.company_id ? (
                  <Link href={companyPath(letter.company_id)}>
                    <span title={letter.company_id}>{letter.company_id.slice(0, 8)}…</span>
                  </Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>{letter.attempts}</td>
              <td>
                <span className={`badge ${LETTER_BADGE[letter.state]}`}>{letter.state}</span>
                {letter.resolved_at && (
                  <div className="muted">
                    {formatDateTime(letter.resolved_at)}
                    {letter.resolved_by ? ` by ${letter.resolved_by}` : ""}
                  </div>
                )}
              </td>
              <td>
                <div className="dead-letter-actions">
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-expanded={open?.id === letter.id}
                    onClick={() => (open?.id === letter.id ? setOpen(undefined) : void show.run(letter.id))}
                  >
                    {open?.id === letter.id ? "Hide" : "Show"}
                    <span className="visually-hidden"> message of {formatDateTime(letter.created_at)}</span>
                  </button>
                  {letter.state === "pending" && (
                    <>
                      <button
                        type="button"
                        className="button"
                        disabled={replay.pending}
                        onClick={() => void replay.run(letter.id)}
                      >
                        Replay
                        <span className="visually-hidden">
                          {" "}
                          message of {formatDateTime(letter.created_at)}
                        </span>
                      </button>
                      <ConfirmButton
                        label={
                          <>
                            Discard
                            <span className="visually-hidden">
                              {" "}
                              message of {formatDateTime(letter.created_at)}
                            </span>
                          </>
                        }
                        className="button button-quiet"
                        question="Discard this dead letter? It is kept for the record but can no longer be replayed."
                        confirmLabel="Discard"
                        pending={discard.pending}
                        onConfirm={() => discard.run(letter.id)}
                      />
                    </>
                  )}
                </div>
              </td>
            </tr>
            {open?.id === letter.id && (
              <tr>
                <td colSpan={7}>
                  <pre className="dead-letter-body">{JSON.stringify(open.body, null, 2)}</pre>
                </td>
              </tr>
            )}
          </Fragment>
        )}
      />
    </section>
  );
}

function InboundWebhookList() {
  const [state, setState] = useState<InboundWebhookState | "">("");
  const [provider, setProvider] = useState("");
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listInboundWebhooks, {
          query: { state: state || undefined, provider: provider.trim() || undefined, cursor },
          signal,
        });
        return { items: page.events, nextCursor: page.next_cursor };
      },
      [state, provider],
    ),
  );
  const [replayed, setReplayed] = useState<ReadonlyMap<string, InboundWebhookEvent>>(new Map());
  const replay = useAction(
    useCallback(async (id: string) => {
      const { event } = await callApi(routes.replayInboundWebhook, { params: { id } });
      setReplayed((previous) => new Map(previous).set(event.id, event));
    }, []),
  );
  return (
    <section className="panel" aria-labelledby="inbound-webhooks-heading">
      <h2 id="inbound-webhooks-heading">Inbound webhooks</h2>
      <search className="filters">
        <SelectField label="State" value={state} choices={INBOUND_STATES} onChange={setState} />
        <TextField
          label="Provider"
          value={provider}
          placeholder="stripe, github, twilio…"
          onChange={(event) => setProvider(event.target.value)}
        />
      </search>
      {replay.error !== undefined && <ErrorState error={replay.error} />}
      <PagedTable
        list={list}
        caption="Inbound webhooks"
        loading="Loading inbound webhooks…"
        empty={<EmptyState title={state ? `No ${state} inbound webhooks` : "No inbound webhooks"} />}
        columns={
          <>
            <th scope="col">Received</th>
            <th scope="col">Provider</th>
            <th scope="col">Type</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        row={(listed) => {
          const event = replayed.get(listed.id) ?? listed;
          return (
            <tr key={event.id}>
              <th scope="row">{formatDateTime(event.received_at)}</th>
              <td>
                {event.provider}
                <div className="muted" title={event.event_id}>
                  {event.sender_event_id ?? event.event_id.slice(0, 24)}
                </div>
              </td>
              <td>{event.event_type ?? <span className="muted">—</span>}</td>
              <td>
                <span className={`badge ${INBOUND_BADGE[event.state]}`}>{event.state}</span>
                {event.outcome && <div className="muted">{event.outcome}</div>}
              </td>
              <td>{event.attempts}</td>
              <td>{event.last_error ?? <span className="muted">—</span>}</td>
              <td>
                {event.state !== "processed" && (
                  <button
                    type="button"
                    className="button"
                    disabled={replay.pending}
                    onClick={() => void replay.run(event.id)}
                  >
                    Replay<span className="visually-hidden"> {event.provider} event</span>
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
