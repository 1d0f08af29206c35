import type { HocuspocusProvider } from "@hocuspocus/provider";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { COLLAB_REASONS } from "~/collab/close-reasons";
import { colourOf } from "~/collab/presence";
import { useCollaborationSession, type Person, type SyncState } from "./collaboration-session.client";
import { PLAN_FRAGMENT, isSafeHref, planExtensions } from "./extensions";

export interface PlanEditorProps {
  planId: string;
  readOnly: boolean;
  user: { id: string; name: string };
  lang: string;
}

export default function PlanEditor({ planId, readOnly, user, lang }: PlanEditorProps) {
  const { t } = useTranslation("editor");
  const { session, state, unsynced, people, closedBy, refusedChange, dismissRefusedChange } = useCollaborationSession(planId, readOnly);
  return (
    <div className="editor">
      {refusedChange ? (
        <div className="form-error" role="alert">
          <p>{t(`reasons.${reasonKey(refusedChange)}`)}</p>
          <button type="button" className="button button--secondary" onClick={dismissRefusedChange}>
            {t("dismiss")}
          </button>
        </div>
      ) : null}
      {closedBy ? (
        <div className="form-error" role="alert">
          <p>{t(`reasons.${reasonKey(closedBy)}`)}</p>
          <button type="button" className="button button--secondary" onClick={() => window.location.reload()}>
            {t("reload")}
          </button>
        </div>
      ) : null}
      {session ? (
        <CollaborativeEditor
          {...session}
          key={session.doc.guid}
          state={state}
          unsynced={unsynced}
          people={people}
          user={{ name: user.name, color: colourOf(user.id) }}
          planId={planId}
          readOnly={readOnly}
          lang={lang}
        />
      ) : (
        <p className="muted">{t("loading")}</p>
      )}
    </div>
  );
}

interface CollaborativeEditorProps {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  state: SyncState;
  unsynced: number;
  people: Person[];
  user: { name: string; color: string };
  planId: string;
  readOnly: boolean;
  lang: string;
}

function CollaborativeEditor({ doc, provider, state, unsynced, people, user, planId, readOnly, lang }: CollaborativeEditorProps) {
  const { t } = useTranslation("editor");
  const stickyBar = useRef<HTMLDivElement>(null);
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        ...planExtensions({ collaborative: true }),
        Collaboration.configure({ document: doc, field: PLAN_FRAGMENT }),
        CollaborationCaret.configure({ provider, user }),
      ],
      editorProps: {
        attributes: {
          class: "plan-content editor-surface",
          lang,
          "aria-label": t("surfaceLabel"),
          "aria-multiline": "true",
          role: "textbox",
          // Also the sideways scroll area of wide tables on a phone (see app.css).
          tabindex: "0",
        },
        // Keeps the caret out from under the sticky bar, whose height changes as it wraps.
        scrollMargin: {
          get top() {
            return (stickyBar.current?.offsetHeight ?? 0) + 8;
          },
          bottom: 8,
          left: 5,
          right: 5,
        },
      },
    },
    [doc, provider, readOnly],
  );

  return (
    <>
      <ul className="people" aria-label={t("people")}>
        {people.map((p) => (
          <li key={p.clientId} style={{ borderColor: p.color }}>
            <span className="people-dot" style={{ background: p.color }} aria-hidden="true" />
            {p.role === "reader" ? `${p.name} · ${t("reader")}` : p.name}
          </li>
        ))}
      </ul>
      <div className="editor-sticky" ref={stickyBar}>
        {editor && !readOnly ? <Toolbar editor={editor} planId={planId} /> : null}
        <p className={`sync-state sync-${state}`} role="status" aria-live="polite">
          {readOnly ? `${t("readOnly")} · ` : null}
          {state === "pending" ? t("pending", { count: unsynced }) : t(`state.${state}`)}
          {state === "offline" && unsynced > 0 ? ` · ${t("pending", { count: unsynced })}` : null}
        </p>
      </div>
      <EditorContent editor={editor} />
    </>
  );
}

function reasonKey(reason: string): string {
  const entry = Object.entries(COLLAB_REASONS).find(([, value]) => value === reason);
  return entry ? entry[0] : "unavailable";
}

function Toolbar({ editor, planId }: { editor: Editor; planId: string }) {
  const { t } = useTranslation("editor");
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      underline: e.isActive("underline"),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      link: e.isActive("link"),
      inTable: e.isActive("table"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  const toggle = (label: string, pressed: boolean, run: () => void, text: ReactNode) => (
    <button type="button" className="tool" aria-label={label} title={label} aria-pressed={pressed} onClick={run}>
      {text}
    </button>
  );
  const command = (label: string, run: () => void, text: ReactNode, disabled = false) => (
    <button type="button" className="tool" aria-label={label} title={label} onClick={run} disabled={disabled}>
      {text}
    </button>
  );

  async function upload(file: File) {
    setUploadError(null);
    const body = new FormData();
    body.append("file", file);
    const response = await fetch(`/lesson-plans/${planId}/images`, { method: "POST", body });
    const result = (await response.json().catch(() => ({}))) as { src?: string; error?: string };
    if (!response.ok || !result.src) {
      setUploadError(result.error ?? t("uploadFailed"));
      return;
    }
    chain()
      .setImage({ src: result.src, alt: file.name.replace(/\.[^.]+$/, "") })
      .run();
  }

  return (
    <div className="toolbar" role="toolbar" aria-label={t("toolbar")}>
      {command(t("undo"), () => chain().undo().run(), "↶", !active.canUndo)}
      {command(t("redo"), () => chain().redo().run(), "↷", !active.canRedo)}
      {toggle(t("heading2"), active.h2, () => chain().toggleHeading({ level: 2 }).run(), "H2")}
      {toggle(t("heading3"), active.h3, () => chain().toggleHeading({ level: 3 }).run(), "H3")}
      {toggle(t("bold"), active.bold, () => chain().toggleBold().run(), "B")}
      {toggle(t("italic"), active.italic, () => chain().toggleItalic().run(), "I")}
      {toggle(t("underline"), active.underline, () => chain().toggleUnderline().run(), "U")}
      {toggle(t("bulletList"), active.bullet, () => chain().toggleBulletList().run(), "•")}
      {toggle(t("orderedList"), active.ordered, () => chain().toggleOrderedList().run(), "1.")}
      {toggle(
        t("link"),
        active.link,
        () => {
          if (active.link) return chain().unsetLink().run();
          const href = window.prompt(t("linkPrompt"));
          if (href && isSafeHref(href)) chain().setLink({ href }).run();
          else if (href) setUploadError(t("linkInvalid"));
        },
        <LinkIcon />,
      )}
      {command(t("insertTable"), () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), "▦")}
      {active.inTable ? (
        <>
          {command(t("addRow"), () => chain().addRowAfter().run(), "+⎯")}
          {command(t("addColumn"), () => chain().addColumnAfter().run(), "+|")}
          {command(t("deleteRow"), () => chain().deleteRow().run(), "−⎯")}
        </>
      ) : null}
      {command(t("image"), () => fileInput.current?.click(), <ImageIcon />)}
      <input
        ref={fileInput}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        hidden
        aria-label={t("image")}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void upload(file);
          e.currentTarget.value = "";
        }}
      />
      {uploadError ? (
        <p className="field-error" role="alert">
          {uploadError}
        </p>
      ) : null}
    </div>
  );
}

/** Drawn, not an emoji: many school computers have no emoji font and would show an empty box. */
function ToolIcon({ children }: { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

function LinkIcon() {
  return (
    <ToolIcon>
      <path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5" />
      <path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" />
    </ToolIcon>
  );
}

function ImageIcon() {
  return (
    <ToolIcon>
      <rect x="3" y="3" width="18" height="18" rx="2" />
      <circle cx="9" cy="9" r="2" />
      <path d="m21 15-5-5L5 21" />
    </ToolIcon>
  );
}
