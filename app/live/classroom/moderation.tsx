import { useState } from "react";
import { useTranslation } from "react-i18next";

type ModerateBody = { action: "mute"; identity: string; trackSid: string } | { action: "remove"; identity: string };

/** Resolves to null when done, or to the server's (translated) message, or undefined for a failure without one. */
async function moderate(sessionId: string, body: ModerateBody): Promise<string | null | undefined> {
  try {
    const response = await fetch(`/api/live-sessions/${sessionId}/moderate`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (response.ok) return null;
    const result = (await response.json().catch(() => ({}))) as { error?: unknown };
    return typeof result.error === "string" && result.error ? result.error : undefined;
  } catch {
    return undefined;
  }
}

/** The main teacher's mute and remove buttons on a participant's tile; removing asks once more. */
export function Moderation({
  sessionId,
  identity,
  name,
  micSid,
}: {
  sessionId: string;
  identity: string;
  name: string;
  micSid: string | undefined;
}) {
  const { t } = useTranslation("classroom");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(body: ModerateBody) {
    setBusy(true);
    setError(null);
    const result = await moderate(sessionId, body);
    setBusy(false);
    setConfirming(false);
    if (result !== null) setError(result ?? t("moderate.failed"));
  }

  return (
    <div className="tile-actions">
      {micSid ? (
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label={t("moderate.muteLabel", { name })}
          disabled={busy}
          onClick={() => void run({ action: "mute", identity, trackSid: micSid })}
        >
          {t("moderate.mute")}
        </button>
      ) : null}
      {/* One button that turns into the confirmation, so keyboard focus stays on it. */}
      <button
        type="button"
        className={`button button--small ${confirming ? "button--danger" : "button--quiet"}`}
        aria-label={confirming ? t("moderate.confirmRemoveLabel", { name }) : t("moderate.removeLabel", { name })}
        disabled={busy}
        onClick={() => (confirming ? void run({ action: "remove", identity }) : setConfirming(true))}
      >
        {confirming ? t("moderate.confirmRemove") : t("moderate.remove")}
      </button>
      {confirming ? (
        <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(false)}>
          {t("moderate.cancel")}
        </button>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
