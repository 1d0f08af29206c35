import { useId } from "react";
import { useTranslation } from "react-i18next";
import "~/styles/plan-diff.css";
import { shownBlock, type BlockDiff, type DiffBlock, type PlanDiff, type Run, type SectionDiff } from "./diff";

type Kind = BlockDiff["kind"];

/** Seen without colour: a sign in the margin, underlined insertions, struck-through deletions. */
const MARK: Record<Kind, string> = { same: "", added: "+", removed: "−", changed: "~" };
const STATUS = {
  changed: "planDiff:status.changed",
  added: "planDiff:status.added",
  removed: "planDiff:status.removed",
} as const;
const ROW_LABEL = {
  same: "planDiff:row.same",
  changed: "planDiff:row.changed",
  added: "planDiff:row.added",
  removed: "planDiff:row.removed",
} as const;

/** An adaptation against its base plan: sections that changed open, the others folded away. */
export function PlanDiffView({ diff }: { diff: PlanDiff }) {
  const { t } = useTranslation("planDiff");
  const { stats } = diff;
  return (
    <div className="plan-diff">
      {stats.added + stats.removed + stats.changed === 0 ? (
        <p className="plan-diff__summary">{t("planDiff:noChanges")}</p>
      ) : (
        <ul className="plan-diff__stats" aria-label={t("planDiff:stats.label")}>
          <li>{t("planDiff:stats.changed", { count: stats.changed })}</li>
          <li>{t("planDiff:stats.added", { count: stats.added })}</li>
          <li>{t("planDiff:stats.removed", { count: stats.removed })}</li>
          <li>{t("planDiff:stats.unchanged", { count: stats.unchanged })}</li>
        </ul>
      )}
      <p className="plan-diff__legend">
        <span className="plan-diff__ins">{t("planDiff:legend.added")}</span>
        {t("planDiff:legend.separator")}
        <span className="plan-diff__del">{t("planDiff:legend.removed")}</span>
      </p>
      {diff.sections.map((section, i) => (
        <SectionView key={i} section={section} />
      ))}
    </div>
  );
}

function SectionView({ section }: { section: SectionDiff }) {
  const { t } = useTranslation("planDiff");
  const headingId = useId();
  const body = <Blocks entries={section.blocks} label={section.heading ?? t("planDiff:untitled")} />;
  return (
    <section className={`plan-diff__section plan-diff__section--${section.status}`} aria-labelledby={headingId}>
      <h3 id={headingId} className="plan-diff__heading">
        {section.title ? (
          <span lang={langOf(section.heading ?? "")}>
            <EntryText entry={section.title} />
          </span>
        ) : (
          t("planDiff:untitled")
        )}
        {section.status === "same" ? null : (
          <span className={`badge plan-diff__badge plan-diff__badge--${section.status}`}>{t(STATUS[section.status])}</span>
        )}
      </h3>
      {section.status !== "same" ? (
        body
      ) : section.blocks.length > 0 ? (
        <details className="plan-diff__folded">
          <summary>{t("planDiff:unchanged", { count: section.blocks.length })}</summary>
          {body}
        </details>
      ) : null}
    </section>
  );
}

/** Consecutive table rows are shown as one table; every other block on its own. */
function Blocks({ entries, label }: { entries: BlockDiff[]; label: string }) {
  const groups: BlockDiff[][] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    if (shownBlock(entry).type === "tableRow" && last && shownBlock(last[0]).type === "tableRow") last.push(entry);
    else groups.push([entry]);
  }
  return (
    <div className="plan-diff__blocks">
      {groups.map((group, i) =>
        shownBlock(group[0]).type === "tableRow" ? (
          <RowsTable key={i} rows={group} label={label} />
        ) : (
          <BlockView key={i} entry={group[0]} />
        ),
      )}
    </div>
  );
}

function BlockView({ entry }: { entry: BlockDiff }) {
  const block = shownBlock(entry);
  const text = <EntryText entry={entry} />;
  const content =
    block.type === "heading" ? (
      <h4 className="plan-diff__subheading">{text}</h4>
    ) : block.type === "listItem" ? (
      <p className={`plan-diff__item plan-diff__item--depth-${Math.min(block.depth, 3)}`}>
        <span className="plan-diff__bullet">{block.marker}</span> {text}
      </p>
    ) : (
      <p>{text}</p>
    );
  return (
    <div className={`plan-diff__block plan-diff__block--${entry.kind}`} lang={langOf(block.text)}>
      <span className="plan-diff__mark" aria-hidden="true">
        {MARK[entry.kind]}
      </span>
      {block.quoted ? <blockquote>{content}</blockquote> : content}
    </div>
  );
}

/** A block's text with its change marked: whole insertions and deletions, or the edits inside it. */
function EntryText({ entry }: { entry: BlockDiff }) {
  const { t } = useTranslation("planDiff");
  const block = shownBlock(entry);
  if (entry.kind !== "changed") {
    const text =
      block.type !== "image" ? block.text : block.alt ? t("planDiff:image.label", { alt: block.alt }) : t("planDiff:image.noAlt");
    return <Whole kind={entry.kind} text={text} />;
  }
  return (
    <>
      <Hidden>{t("planDiff:prefix.changed")}</Hidden>
      {block.type === "image" ? `${t("planDiff:image.replaced")} ` : null}
      <Runs runs={entry.runs} />
    </>
  );
}

function Whole({ kind, text }: { kind: Kind; text: string }) {
  const { t } = useTranslation("planDiff");
  if (!text || kind === "same" || kind === "changed") return <>{text}</>;
  return kind === "added" ? (
    <ins className="plan-diff__ins">
      <Hidden>{t("planDiff:prefix.added")}</Hidden>
      {text}
    </ins>
  ) : (
    <del className="plan-diff__del">
      <Hidden>{t("planDiff:prefix.removed")}</Hidden>
      {text}
    </del>
  );
}

function Runs({ runs }: { runs: Run[] }) {
  return (
    <>
      {runs.map((run, i) => (
        <Whole key={i} kind={run.op === "ins" ? "added" : run.op === "del" ? "removed" : "same"} text={run.text} />
      ))}
    </>
  );
}

function RowsTable({ rows, label }: { rows: BlockDiff[]; label: string }) {
  const { t } = useTranslation("planDiff");
  const captionId = useId();
  const [first, ...rest] = rows;
  const top = shownBlock(first);
  const head = top.type === "tableRow" && top.header ? first : null;
  const width = Math.max(...rows.map((row) => cellsOf(shownBlock(row)).length));
  return (
    <div className="table-scroll plan-diff__table" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table data-table--compact">
        <caption id={captionId} className="visually-hidden">
          {t("planDiff:table.caption", { section: label })}
        </caption>
        {head ? (
          <thead>
            <RowView entry={head} width={width} header />
          </thead>
        ) : null}
        <tbody>
          {(head ? rest : rows).map((row, i) => (
            <RowView key={i} entry={row} width={width} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RowView({ entry, width, header = false }: { entry: BlockDiff; width: number; header?: boolean }) {
  const { t } = useTranslation("planDiff");
  const Cell = header ? "th" : "td";
  const scope = header ? "col" : undefined;
  const cells: React.ReactNode[] =
    entry.kind !== "changed"
      ? cellsOf(entry.block).map((text, i) => <Whole key={i} kind={entry.kind} text={text} />)
      : entry.cells
        ? entry.cells.map((runs, i) => <Runs key={i} runs={runs} />)
        : [<Runs key={0} runs={entry.runs} />];
  return (
    <tr className={`plan-diff__row plan-diff__row--${entry.kind}`} lang={langOf(shownBlock(entry).text)}>
      <Cell scope={scope} className="plan-diff__mark-cell">
        <span aria-hidden="true">{MARK[entry.kind]}</span>
        {header ? <Hidden>{t("planDiff:row.column")}</Hidden> : null}
        {header && entry.kind === "same" ? null : <Hidden>{t(ROW_LABEL[entry.kind])}</Hidden>}
      </Cell>
      {cells.map((cell, i) => (
        <Cell key={i} scope={scope} colSpan={cells.length === 1 && width > 1 ? width : undefined}>
          {cell}
        </Cell>
      ))}
    </tr>
  );
}

/** Read out, not shown; in the interface's language even inside a block of another. */
function Hidden({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <span className="visually-hidden" lang={i18n.language}>
      {children}{" "}
    </span>
  );
}

function cellsOf(block: DiffBlock): string[] {
  return block.type === "tableRow" ? block.cells : [block.text];
}

/**
 * A plan may be written in Tibetan under a Chinese interface or the other way round: the
 * block says which, for screen readers' voices and for the Tibetan font and line height.
 */
function langOf(text: string): "bo" | "zh-CN" | undefined {
  const tibetan = text.match(/\p{sc=Tibetan}/gu)?.length ?? 0;
  const han = text.match(/\p{sc=Han}/gu)?.length ?? 0;
  return tibetan === 0 && han === 0 ? undefined : tibetan > han ? "bo" : "zh-CN";
}
