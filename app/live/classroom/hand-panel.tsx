import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Hands } from "./use-hands";
import { schoolDateFormat } from "~/live/time";

function clock(at: number, lang: string): string {
  return schoolDateFormat(lang, "time").format(new Date(at));
}

/** The main teacher's raise-hand queue: who to call on next, oldest hand first. */
export function HandPanel({ hands, connected, lang }: { hands: Hands; connected: boolean; lang: string }) {
  const { t } = useTranslation("classroom");
  const id = useId();
  return (
    <section className="classroom-panel hand-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t("hand.queueTitle")} {hands.queue.length > 0 ? <span className="count">{hands.queue.length}</span> : null}
      </h2>
      <div aria-live="polite">
        {hands.queue.length === 0 ? (
          <p className="muted">{connected ? t("hand.empty") : t("hand.notConnected")}</p>
        ) : (
          <ol className="hand-list">
            {hands.queue.map((entry) => (
              <li key={entry.identity}>
                <span className="hand-name">{entry.name}</span>
                <time className="muted small" dateTime={new Date(entry.at).toISOString()}>
                  {clock(entry.at, lang)}
                </time>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t("hand.callOnLabel", { name: entry.name })}
                  onClick={() => hands.lower(entry.identity)}
                >
                  {t("hand.callOn")}
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
      {hands.queue.length ? (
        <button type="button" className="button button--secondary" onClick={hands.clear}>
          {t("hand.clear")}
        </button>
      ) : null}
    </section>
  );
}
