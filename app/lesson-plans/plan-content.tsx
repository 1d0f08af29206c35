import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PLAN_PLACEHOLDER, normalizePlanJson, type PlanNode } from "./plan-json";
import { isSafeHref, isSafeImageSrc } from "./safety";

/**
 * A plan's JSON as React elements, read-only: the node and mark types of the plan's schema
 * (headings 2–3, lists, tables, bold/italic/underline/strike, links, images), after
 * normalizePlanJson, so spans are clamped and whatever the schema has no place for shows as
 * "[content that cannot be shown]". Links and images only when safe; no HTML strings involved.
 */
export function PlanContent({ doc }: { doc: PlanNode }) {
  const { t } = useTranslation("lessonPlans");
  const normalized = useMemo(() => normalizePlanJson(doc), [doc]);
  return <>{children(normalized, t("lessonPlans:unsupportedContent"))}</>;
}

const children = (node: PlanNode, unsupported: string) => node.content?.map((child, i) => renderNode(child, i, unsupported)) ?? null;

const span = (value: unknown) => (typeof value === "number" && value > 1 ? value : undefined);

function renderNode(node: PlanNode, key: number, unsupported: string): ReactNode {
  const inner = children(node, unsupported);
  switch (node.type) {
    case "text":
      return <Marked key={key} node={node} />;
    case "paragraph":
      return <p key={key}>{inner}</p>;
    case "heading":
      return node.attrs?.level === 3 ? <h3 key={key}>{inner}</h3> : <h2 key={key}>{inner}</h2>;
    case "bulletList":
      return <ul key={key}>{inner}</ul>;
    case "orderedList": {
      const start = typeof node.attrs?.start === "number" && node.attrs.start !== 1 ? node.attrs.start : undefined;
      return (
        <ol key={key} start={start}>
          {inner}
        </ol>
      );
    }
    case "listItem":
      return <li key={key}>{inner}</li>;
    case "blockquote":
      return <blockquote key={key}>{inner}</blockquote>;
    case "horizontalRule":
      return <hr key={key} />;
    case "hardBreak":
      return <br key={key} />;
    case "table":
      return (
        <table key={key}>
          <tbody>{inner}</tbody>
        </table>
      );
    case "tableRow":
      return <tr key={key}>{inner}</tr>;
    case "tableHeader":
      return (
        <th key={key} colSpan={span(node.attrs?.colspan)} rowSpan={span(node.attrs?.rowspan)}>
          {inner}
        </th>
      );
    case "tableCell":
      return (
        <td key={key} colSpan={span(node.attrs?.colspan)} rowSpan={span(node.attrs?.rowspan)}>
          {inner}
        </td>
      );
    case "image": {
      const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
      return isSafeImageSrc(node.attrs?.src) ? <img key={key} src={node.attrs.src} alt={alt} /> : alt ? <p key={key}>{alt}</p> : null;
    }
    case PLAN_PLACEHOLDER:
      return node.attrs?.inline ? (
        <span key={key} className="plan-unsupported">
          {unsupported}
        </span>
      ) : (
        <p key={key} className="plan-unsupported">
          {unsupported}
        </p>
      );
    default:
      return null;
  }
}

function Marked({ node }: { node: PlanNode }) {
  let out: ReactNode = node.text ?? "";
  for (const mark of node.marks ?? []) {
    if (mark.type === "bold") out = <strong>{out}</strong>;
    else if (mark.type === "italic") out = <em>{out}</em>;
    else if (mark.type === "underline") out = <u>{out}</u>;
    else if (mark.type === "strike") out = <s>{out}</s>;
    else if (mark.type === "link" && isSafeHref(mark.attrs?.href)) {
      out = (
        <a href={mark.attrs.href} target="_blank" rel="noopener noreferrer nofollow">
          {out}
        </a>
      );
    }
  }
  return <>{out}</>;
}
