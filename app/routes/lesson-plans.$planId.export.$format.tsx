import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { requireUuidParam } from "~/components/route-params";
import { withUserTransaction } from "~/db/with-user-transaction.server";
import { getFixedT, getLocale } from "~/i18n/i18next.server";
import { pickName } from "~/i18n/localized-name";
import { renderDocx } from "~/lesson-plans/export/docx.server";
import { renderPrintHtml } from "~/lesson-plans/export/print-html.server";
import { loadExportImages } from "~/lesson-plans/export/images.server";
import type { PlanForExport } from "~/lesson-plans/export/types";
import { normalizePlanJson } from "~/lesson-plans/plan-json";
import { getPlan } from "~/lesson-plans/queries.server";
import { getPairing } from "~/pairings/queries.server";
import { downloadLessonPlanImage } from "~/storage/lesson-plan-images.server";
import { methodNotAllowed, withTranslatedRefusals } from "~/components/refusal.server";

/** The print-friendly HTML (fonts embedded, for printing to PDF) or a .docx of the plan. */
export const loader = withTranslatedRefusals(async ({ request, context, params }: LoaderFunctionArgs) => {
  const signedIn = await requireUser(request, context);
  const { claims } = signedIn;
  const planId = requireUuidParam(params.planId);
  const format = params.format;
  if (format !== "html" && format !== "docx") throw new Response("Not found", { status: 404 });
  const locale = await getLocale(request);
  const t = await getFixedT(request, ["planExport", "lessonPlans", "pairings"]);
  const found = await withUserTransaction(context.tongke.database, claims, async (tx) => {
    const plan = await getPlan(tx, planId);
    const pairing = plan ? await getPairing(tx, plan.pairingId) : null;
    return plan && pairing ? { plan, pairing } : null;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { plan, pairing } = found;
  const content = normalizePlanJson(context.tongke.collab.peek(planId)?.contentJson ?? plan.contentJson);
  const images = await loadExportImages(planId, content, (name) => downloadLessonPlanImage(context, signedIn, planId, name));
  const exported: PlanForExport = {
    title: plan.title,
    language: plan.language,
    subject: t(`pairings:subjects.${plan.subject}`),
    grade: t(`lessonPlans:grades.${plan.grade}`),
    textbookUnit: plan.textbookUnit,
    periods: plan.periods,
    status: t(`lessonPlans:status.${plan.status}`),
    leadAuthor: plan.leadAuthorName ?? t("lessonPlans:unknownPerson"),
    coauthors: plan.coauthors.map((c) => c.displayName ?? t("lessonPlans:unknownPerson")),
    schools: [pickName(pairing.schoolA, locale).text, pickName(pairing.schoolB, locale).text],
    updatedAt: plan.contentUpdatedAt,
    content,
    images,
  };
  const filename = encodeURIComponent(plan.title.replace(/[\\/:*?"<>|]+/g, " ").trim() || "lesson-plan");
  const common = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
  if (format === "html") {
    return new Response(renderPrintHtml(exported, t as never), {
      headers: { ...common, "Content-Type": "text/html; charset=utf-8" },
    });
  }
  const docx = await renderDocx(exported, t as never);
  return new Response(new Uint8Array(docx), {
    headers: {
      ...common,
      "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Content-Disposition": `attachment; filename="lesson-plan.docx"; filename*=UTF-8''${filename}.docx`,
    },
  });
});

export const action = methodNotAllowed;
