// A project's chat on its page: the history (earlier messages on demand), new messages live from the
// company's channel, sending (REST, idempotent by client_id, shown at once and confirmed by the API),
// "… is typing", and under one's own messages whether the others received or read them. What is
// shown while the page is visible counts as read; after a reconnect the missed messages are fetched.
import { NexusApiError } from "@nexus/client/errors";
import { CHAT_MESSAGE_MAX_LENGTH, type ChatConversation, routes, type ServerMessage } from "@nexus/contracts";
import { type KeyboardEvent, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { ErrorState, Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useCompanyLive } from "../../lib/company-live.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import {
  addHistoryReceipts,
  addReceipt,
  type MessageState,
  mergeMessages,
  messageState,
  type Receipts,
  type ShownMessage,
  TYPING_SEND_EVERY_MS,
  typingNames,
  typingSentence,
} from "./chat-model.ts";
import { useSignedInUser } from "./members-access.ts";

const PAGE_SIZE = 30;

export function ProjectChat({
  companyId,
  projectId,
  names,
}: {
  companyId: string;
  projectId: string;
  /** User id → name, for readers and typists (messages carry their sender's name). */
  names: ReadonlyMap<string, string>;
}) {
  const id = useId();
  const conversation = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.getProjectConversation, { params: { companyId, projectId }, signal }),
      [companyId, projectId],
    ),
  );
  const me = useSignedInUser();
  const { state: live } = useCompanyLive();
  // Chat is the members' own: operators (and anyone the API turns away) get no panel.
  if (conversation.error instanceof NexusApiError && conversation.error.status === 403) return null;

  return (
    <section className="panel project-chat" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Chat</h3>
        <p className={`live live-${live}`} role="status">
          <span className="dot" aria-hidden="true" />
          {live === "open" ? "Live" : "Connecting… new messages show once the live channel is back"}
        </p>
      </div>
      {conversation.error !== undefined ? (
        <ErrorState error={conversation.error} onRetry={conversation.reload} />
      ) : !conversation.data || me === undefined ? (
        <Loading label="Loading the chat…" />
      ) : (
        <Conversation
          companyId={companyId}
          conversation={conversation.data.conversation}
          myId={me?.id ?? ""}
          names={names}
        />
      )}
    </section>
  );
}

function Conversation({
  companyId,
  conversation,
  myId,
  names,
}: {
  companyId: string;
  conversation: ChatConversation;
  myId: string;
  names: ReadonlyMap<string, string>;
}) {
  const conversationId = conversation.id;
  const [messages, setMessages] = useState<ShownMessage[]>([]);
  const [receipts, setReceipts] = useState<Receipts>(new Map());
  const [cursor, setCursor] = useState<string | null>(null);
  const [typing, setTyping] = useState<ReadonlyMap<string, { name: string; at: number }>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  const [draft, setDraft] = useState("");
  const lastTypingSent = useRef(0);
  const log = useRef<HTMLOListElement>(null);
  const inputId = useId();

  const history = useAsync(
    useCallback(
      async (signal: AbortSignal) => {
        const page = await callApi(routes.listChatMessages, {
          params: { companyId, conversationId },
          query: { limit: PAGE_SIZE },
          signal,
        });
        setMessages((shown) => mergeMessages(shown, page.messages));
        setReceipts((known) => addHistoryReceipts(known, page.receipts));
        setCursor(page.next_cursor);
        return true;
      },
      [companyId, conversationId],
    ),
  );

  const earlier = useAction(
    useCallback(async () => {
      if (!cursor) return;
      const page = await callApi(routes.listChatMessages, {
        params: { companyId, conversationId },
        query: { limit: PAGE_SIZE, cursor },
      });
      setMessages((shown) => mergeMessages(shown, page.messages));
      setReceipts((known) => addHistoryReceipts(known, page.receipts));
      setCursor(page.next_cursor);
    }, [companyId, conversationId, cursor]),
  );

  const onLive = useCallback(
    (frame: ServerMessage) => {
      if (frame.type === "chat.message" && frame.conversation_id === conversationId && frame.message) {
        const message = frame.message;
        setMessages((shown) => mergeMessages(shown, [message]));
        // Whoever sent it has stopped typing.
        setTyping((current) => {
          if (!current.has(message.sender_id)) return current;
          const next = new Map(current);
          next.delete(message.sender_id);
          return next;
        });
      } else if (frame.type === "chat.receipt" && frame.conversation_id === conversationId) {
        setReceipts((known) => addReceipt(known, frame));
      } else if (
        frame.type === "chat.typing" &&
        frame.conversation_id === conversationId &&
        frame.user_id !== myId
      ) {
        const name = frame.name ?? names.get(frame.user_id) ?? "Someone";
        setTyping((current) => new Map(current).set(frame.user_id, { name, at: Date.now() }));
      }
    },
    [conversationId, myId, names],
  );
  const { state: live, send: sendFrame } = useCompanyLive(onLive);

  // After a reconnect, fetch what was said meanwhile (frames sent while the channel was down are lost).
  const newestStored = [...messages].reverse().find((message) => !message.pending)?.id;
  const wasOpen = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a reconnect triggers this, not each new message.
  useEffect(() => {
    if (live !== "open") return;
    if (wasOpen.current && newestStored) {
      callApi(routes.listChatMessages, {
        params: { companyId, conversationId },
        query: { after: newestStored, limit: 100 },
      }).then(
        (page) => {
          setMessages((shown) => mergeMessages(shown, page.messages));
          setReceipts((known) => addHistoryReceipts(known, page.receipts));
        },
        () => {},
      );
    }
    wasOpen.current = true;
  }, [live]);

  // Others' messages shown on a visible page are read: tell the API (it sends the read receipts).
  const newestFromOthers = [...messages]
    .reverse()
    .find((message) => message.sender_id !== myId && !message.pending);
  const markedUpTo = useRef<string | null>(null);
  useEffect(() => {
    const target = newestFromOthers?.id;
    if (!target || (markedUpTo.current !== null && markedUpTo.current >= target)) return;
    const markRead = () => {
      if (document.visibilityState !== "visible") {
        sendFrame({ type: "chat.delivered", conversation_id: conversationId, message_id: target });
        return false;
      }
      markedUpTo.current = target;
      callApi(routes.markChatRead, {
        params: { companyId, conversationId },
        body: { message_id: target },
      }).catch(() => {
        markedUpTo.current = null;
      });
      return true;
    };
    if (markRead()) return;
    const onVisible = () => {
      if (markRead()) document.removeEventListener("visibilitychange", onVisible);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [newestFromOthers?.id, companyId, conversationId, sendFrame]);

  // "… is typing" fades: tick while someone is shown typing.
  useEffect(() => {
    if (typing.size === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [typing]);

  // Keep the newest message in view as messages arrive, unless the reader scrolled up to read.
  const nearBottom = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `messages.length` is the trigger.
  useLayoutEffect(() => {
    const element = log.current;
    if (element && nearBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  const deliver = useCallback(
    async (message: ShownMessage) => {
      try {
        const answer = await callApi(routes.sendChatMessage, {
          params: { companyId, conversationId },
          body: { body: message.body, client_id: message.client_id ?? undefined },
        });
        setMessages((shown) => mergeMessages(shown, [answer.message]));
      } catch {
        setMessages((shown) =>
          shown.map((known) => (known.id === message.id ? { ...known, pending: "failed" } : known)),
        );
      }
    },
    [companyId, conversationId],
  );

  const send = () => {
    const body = draft.trim();
    if (!body) return;
    const clientId = crypto.randomUUID();
    const pending: ShownMessage = {
      id: `local-${clientId}`,
      conversation_id: conversationId,
      sender_id: myId,
      sender_name: null,
      body,
      client_id: clientId,
      created_at: new Date().toISOString(),
      pending: "sending",
    };
    setDraft("");
    nearBottom.current = true;
    setMessages((shown) => mergeMessages(shown, [pending]));
    void deliver(pending);
  };
  const retry = (message: ShownMessage) => {
    const again: ShownMessage = { ...message, pending: "sending" };
    setMessages((shown) => shown.map((known) => (known.id === message.id ? again : known)));
    void deliver(again);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const onType = (text: string) => {
    setDraft(text);
    const at = Date.now();
    if (text.trim() && at - lastTypingSent.current >= TYPING_SEND_EVERY_MS) {
      lastTypingSent.current = at;
      sendFrame({ type: "chat.typing", conversation_id: conversationId });
    }
  };

  const typists = typingSentence(typingNames(typing, now));
  return (
    <div className="chat">
      {history.error !== undefined && <ErrorState error={history.error} onRetry={history.reload} />}
      {cursor && (
        <button
          type="button"
          className="button button-quiet button-small chat-earlier"
          onClick={() => void earlier.run()}
          disabled={earlier.pending}
        >
          {earlier.pending ? "Loading…" : "Load earlier messages"}
        </button>
      )}
      {earlier.error !== undefined && <ErrorState error={earlier.error} />}
      <ol
        ref={log}
        className="chat-log"
        role="log"
        aria-label="Messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          nearBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        }}
      >
        {history.data === undefined && history.error === undefined ? (
          <li className="muted small">Loading messages…</li>
        ) : messages.length === 0 ? (
          <li className="muted small">No messages yet. Everyone working on this project reads them here.</li>
        ) : (
          messages.map((message) => {
            const mine = message.sender_id === myId;
            return (
              <li key={message.id} className={mine ? "chat-message chat-message-mine" : "chat-message"}>
                <p className="chat-meta small">
                  <strong>
                    {mine ? "You" : (message.sender_name ?? names.get(message.sender_id) ?? "Someone")}
                  </strong>{" "}
                  <time className="muted" dateTime={message.created_at}>
                    {formatDateTime(message.created_at)}
                  </time>
                </p>
                <p className="chat-body">{message.body}</p>
                {mine && (
                  <p className="chat-state muted small">
                    <StateText state={messageState(message, receipts)} names={names} />
                    {message.pending === "failed" && (
                      <button
                        type="button"
                        className="button button-quiet button-small"
                        onClick={() => retry(message)}
                      >
                        Retry
                      </button>
                    )}
                  </p>
                )}
              </li>
            );
          })
        )}
      </ol>
      <p className="chat-typing muted small" aria-live="polite">
        {typists}
      </p>
      <form
        className="chat-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label htmlFor={inputId} className="visually-hidden">
          Message
        </label>
        <textarea
          id={inputId}
          rows={2}
          value={draft}
          maxLength={CHAT_MESSAGE_MAX_LENGTH}
          placeholder="Write a message… (Enter sends, Shift+Enter for a new line)"
          onChange={(event) => onType(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-primary" disabled={!draft.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}

function StateText({ state, names }: { state: MessageState; names: ReadonlyMap<string, string> }) {
  const who = (ids: readonly string[]) => ids.map((userId) => names.get(userId) ?? "a member").join(", ");
  switch (state.kind) {
    case "sending":
      return <>Sending…</>;
    case "failed":
      return <span className="form-error">Not sent.</span>;
    case "sent":
      return <>Sent</>;
    case "delivered":
      return <>Delivered to {who(state.by)}</>;
    case "read":
      return <>Read by {who(state.by)}</>;
  }
}
