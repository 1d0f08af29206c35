import type { ReactNode } from "react";
import { isSafeHref, isSafeImageSrc } from "./safety";
import type { PlanNode } from "./yjs-json";

/**
 * A plan's JSON as React elements, read-only: the node and mark types of the plan's schema
 * (headings 2–3, lists, tables, bold/italic/underline/strike, links, images), anything else
 * reduced to its content, links and images only when safe. No HTML strings are involved.
 */
export function PlanContent({ doc }: { doc: PlanNode }) {
  return <>{children(doc)}</>;
}

const children = (node: PlanNode) => node.content?.map((child, i) => renderNode(child, i)) ?? null;

const span = (value: unknown) => (typeof value === "number" && value > 1 ? value : undefined);

function renderNode(node: PlanNode, key: number): ReactNode {
  const inner = children(node);
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
    default:
      return inner;
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
