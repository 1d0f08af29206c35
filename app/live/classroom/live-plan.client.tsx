import { HocuspocusProvider } from "@hocuspocus/provider";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { collabUrl, fetchCollabToken } from "~/collab/browser";
import { PlanContent } from "~/lesson-plans/plan-content";
import { PLAN_FRAGMENT, planDocumentName } from "~/lesson-plans/safety";
import { fragmentToJson, type PlanNode } from "~/lesson-plans/yjs-json";

/** "stale": it was live, the connection dropped, and the last synced version stays on screen. */
type PlanState = "connecting" | "live" | "stale" | "offline";

/**
 * The plan as the authors are editing it right now, read-only: no offline copy and no carets,
 * only the document. The server-rendered HTML stays on screen until the first sync, and for
 * good if the collaboration server cannot be reached. Only Yjs and the provider are loaded —
 * no editor — in their own chunk: the classroom and its video come up first on a slow link.
 */
export default function LivePlan({ planId, html }: { planId: string; html: string }) {
  const { t } = useTranslation("classroom");
  const doc = useMemo(() => new Y.Doc(), [planId]); // eslint-disable-line react-hooks/exhaustive-deps
  const [state, setState] = useState<PlanState>("connecting");

  useEffect(() => {
    setState("connecting");
    const url = collabUrl();
    const provider = new HocuspocusProvider({
      url,
      name: planDocumentName(planId),
      document: doc,
      token: fetchCollabToken,
      onSynced: ({ state: synced }) => {
        if (!synced) return;
        setJson(fragmentToJson(doc.getXmlFragment(PLAN_FRAGMENT)));
        setState("live");
      },
      onAuthenticationFailed: () => setState("offline"),
      onClose: () => setState((s) => (s === "live" || s === "stale" ? "stale" : "offline")),
    });
    return () => provider.destroy();
  }, [doc, planId]);

  // The document as JSON, re-read at most once a frame while the authors type.
  const [json, setJson] = useState<PlanNode | null>(null);
  useEffect(() => {
    const fragment = doc.getXmlFragment(PLAN_FRAGMENT);
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setJson(fragmentToJson(fragment)));
    };
    fragment.observeDeep(update);
    return () => {
      fragment.unobserveDeep(update);
      cancelAnimationFrame(frame);
    };
  }, [doc]);

  const live = (state === "live" || state === "stale") && json !== null;
  return (
    <>
      <p className="muted small plan-state" role="status">
        {state === "live"
          ? t("plan.live")
          : state === "stale"
            ? t("plan.stale")
            : state === "offline"
              ? t("plan.offline")
              : t("plan.connecting")}
      </p>
      <div className="plan-body" tabIndex={0} role="region" aria-label={t("plan.content")}>
        {live ? null : <div className="plan-content" dangerouslySetInnerHTML={{ __html: html }} />}
        {live ? (
          <div className="plan-content plan-live">
            <PlanContent doc={json} />
          </div>
        ) : null}
      </div>
    </>
  );
}
