import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LADDER, type LadderStep, type LinkQuality } from "../room-options";
import type { LadderNotice } from "./use-ladder";

export function useStepName() {
  const { t } = useTranslation("classroom");
  return (step: LadderStep) => {
    switch (step) {
      case "full":
        return t("ladder.full");
      case "teacher-video":
        return t("ladder.teacherVideo");
      case "audio-only":
        return t("ladder.audioOnly");
    }
  };
}

function useStepDescription() {
  const { t } = useTranslation("classroom");
  return (step: LadderStep) => {
    switch (step) {
      case "full":
        return t("ladder.fullHint");
      case "teacher-video":
        return t("ladder.teacherVideoHint");
      case "audio-only":
        return t("ladder.audioOnlyHint");
    }
  };
}

function useQualityName() {
  const { t } = useTranslation("classroom");
  return (quality: LinkQuality) => {
    switch (quality) {
      case "excellent":
        return t("quality.excellent");
      case "good":
        return t("quality.good");
      case "poor":
        return t("quality.poor");
      case "lost":
        return t("quality.lost");
      case "unknown":
        return t("quality.unknown");
    }
  };
}

/**
 * The low-bandwidth ladder as native radio buttons (arrow keys move between them). The checked
 * step is the one in effect, so an automatic step down shows as checked, with a notice saying why.
 */
export function LadderControl({
  step,
  notice,
  quality,
  connected,
  onChoose,
}: {
  step: LadderStep;
  notice: LadderNotice | null;
  quality: LinkQuality;
  connected: boolean;
  onChoose: (step: LadderStep) => void;
}) {
  const { t } = useTranslation("classroom");
  const id = useId();
  const stepName = useStepName();
  const description = useStepDescription();
  const qualityName = useQualityName();
  const noticeText = notice
    ? notice.direction === "down"
      ? t("ladder.steppedDown", { step: stepName(notice.step) })
      : t("ladder.steppedUp", { step: stepName(notice.step) })
    : "";

  return (
    <div className="ladder">
      <fieldset className="ladder-options" role="radiogroup" aria-labelledby={`${id}-legend`}>
        <legend id={`${id}-legend`}>{t("ladder.label")}</legend>
        {LADDER.map((option) => (
          <div key={option} className="ladder-option">
            <input
              type="radio"
              id={`${id}-${option}`}
              name={`${id}-ladder`}
              value={option}
              checked={step === option}
              onChange={() => onChoose(option)}
              aria-describedby={`${id}-${option}-hint`}
            />
            <label htmlFor={`${id}-${option}`}>{stepName(option)}</label>
            <span id={`${id}-${option}-hint`} className="ladder-hint">
              {description(option)}
            </span>
          </div>
        ))}
      </fieldset>
      <p className="ladder-notice" role="status" data-testid="ladder-notice">
        {noticeText}
      </p>
      {connected ? (
        <p className={`link-quality link-quality--${quality}`}>{t("quality.label", { quality: qualityName(quality) })}</p>
      ) : null}
    </div>
  );
}
