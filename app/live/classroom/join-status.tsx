import { useTranslation } from "react-i18next";
import type { Phase } from "./use-room";

/** Why we are not in the room (yet, or any more), and the button that tries again. */
export function JoinStatus({ phase, onJoin }: { phase: Phase; onJoin: () => void }) {
  const { t } = useTranslation("classroom");
  switch (phase.name) {
    case "prejoin":
    case "connected":
      return null;
    case "joining":
      return (
        <p className="notice" role="status">
          {t("join.connecting")}
        </p>
      );
    case "failed":
      return (
        <div className="form-error join-problem" role="alert" data-testid="join-problem">
          <p className="join-problem__title">
            {phase.reason === "unreachable"
              ? t("join.unreachable")
              : phase.reason === "network"
                ? t("join.network")
                : t("join.serverError")}
          </p>
          {/* Our server answered after the video server did not: the teacher's network is fine. */}
          {phase.reason === "network" ? null : <p>{phase.reason === "unreachable" ? t("join.videoServerDown") : t("join.stillUsable")}</p>}
          <button type="button" className="button" onClick={onJoin}>
            {t("join.retry")}
          </button>
        </div>
      );
    case "refused":
      return (
        <div className="form-error join-problem" role="alert" data-testid="join-problem">
          <p className="join-problem__title">{phase.message}</p>
          <button type="button" className="button" onClick={onJoin}>
            {t("join.retry")}
          </button>
        </div>
      );
    case "disconnected":
      return (
        <div className="form-error join-problem" role="alert" data-testid="join-problem">
          <p className="join-problem__title">
            {phase.reason === "removed"
              ? t("join.removed")
              : phase.reason === "duplicate"
                ? t("join.duplicate")
                : phase.reason === "ended"
                  ? t("join.ended")
                  : t("join.lost")}
          </p>
          <button type="button" className="button" onClick={onJoin}>
            {t("join.rejoin")}
          </button>
        </div>
      );
    case "left":
      return (
        <div className="notice join-problem" role="status">
          <p className="join-problem__title">{t("join.left")}</p>
          <button type="button" className="button" onClick={onJoin}>
            {t("join.rejoin")}
          </button>
        </div>
      );
  }
}
