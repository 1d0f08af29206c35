import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "./chat-messages";
import type { SendFailure } from "./use-chat";
import { schoolDateFormat } from "~/live/time";

/** The server's limit (live/schemas.ts); the textarea stops there instead of the server refusing. */
const MAX_LENGTH = 1000;

function clock(iso: string, lang: string): string {
  const date = new Date(iso);
  try {
    return schoolDateFormat(lang, "time").format(date);
  } catch {
    return date.toTimeString().slice(0, 5);
  }
}

/** The session's chat: stored on our server, so it works whether or not the video does. */
export function ChatPanel({
  messages,
  me,
  pollFailed,
  lang,
  onSend,
}: {
  messages: ChatMessage[];
  me: string;
  pollFailed: boolean;
  lang: string;
  onSend: (body: string) => Promise<SendFailure | null>;
}) {
  const { t } = useTranslation("classroom");
  const id = useId();
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);

  // Follow new messages unless the reader has scrolled up to read older ones.
  useEffect(() => {
    const element = log.current;
    if (element && pinnedToBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const body = draft.trim();
    if (!body || sending) return;
    setSending(true);
    setError(null);
    const failure = await onSend(body);
    setSending(false);
    if (!failure) {
      setDraft("");
      pinnedToBottom.current = true;
      return;
    }
    setError("message" in failure ? failure.message : failure.key === "network" ? t("chat.network") : t("chat.failed"));
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter while an input method is composing (Chinese, Tibetan) picks a candidate, it does not send.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void submit();
  }

  return (
    <section className="classroom-panel chat-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("chat.title")}</h2>
      <div
        ref={log}
        className="chat-log"
        role="log"
        aria-labelledby={`${id}-title`}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinnedToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {messages.length === 0 ? (
          <p className="muted">{t("chat.empty")}</p>
        ) : (
          <ol className="chat-messages">
            {messages.map((message) => (
              <li key={message.id} className={message.authorId === me ? "chat-message chat-message--mine" : "chat-message"}>
                <p className="chat-meta">
                  <span className="chat-author">{message.authorId === me ? t("chat.me") : message.authorName || t("chat.someone")}</span>{" "}
                  <time dateTime={message.createdAt}>{clock(message.createdAt, lang)}</time>
                </p>
                <p className="chat-body">{message.body}</p>
              </li>
            ))}
          </ol>
        )}
      </div>
      {pollFailed ? <p className="muted small">{t("chat.pollFailed")}</p> : null}
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-input`}>{t("chat.label")}</label>
        <textarea
          id={`${id}-input`}
          value={draft}
          rows={2}
          maxLength={MAX_LENGTH}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          aria-invalid={error ? true : undefined}
        />
        <p id={`${id}-hint`} className="muted small">
          {t("chat.hint")}
        </p>
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("chat.sending") : t("chat.send")}
        </button>
      </form>
    </section>
  );
}
