import { HocuspocusProvider, WebSocketStatus } from "@hocuspocus/provider";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { collabUrl, fetchCollabToken } from "~/collab/browser";
import { COLLAB_REASONS } from "~/collab/close-reasons";
import { PLAN_FRAGMENT, isSafeHref, planDocumentName, planExtensions } from "./extensions";

export interface PlanEditorProps {
  planId: string;
  readOnly: boolean;
  user: { id: string; name: string };
  lang: string;
}

/** Caret colours with at least 4.5:1 contrast against white labels' dark text. */
const COLOURS = ["#b3261e", "#0b57d0", "#146c2e", "#8e24aa", "#a05a00", "#00696f", "#c2185b", "#3f51b5"];
const colourOf = (id: string) => COLOURS[[...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLOURS.length];

type SyncState = "connecting" | "saved" | "pending" | "offline";

/** The live co-editing session of one plan: Yjs document, offline copy, provider. */
function useCollaboration(planId: string, user: PlanEditorProps["user"]) {
  const doc = useMemo(() => new Y.Doc(), [planId]); // eslint-disable-line react-hooks/exhaustive-deps
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const [status, setStatus] = useState<WebSocketStatus>(WebSocketStatus.Connecting);
  const [unsynced, setUnsynced] = useState(0);
  const [online, setOnline] = useState(true);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [people, setPeople] = useState<{ clientId: number; name: string; color: string }[]>([]);

  useEffect(() => {
    const name = planDocumentName(planId);
    const local = new IndexeddbPersistence(name, doc);
    const url = collabUrl();
    const instance = new HocuspocusProvider({
      url,
      name,
      document: doc,
      token: fetchCollabToken,
      onStatus: ({ status }) => setStatus(status),
      onUnsyncedChanges: ({ number }) => setUnsynced(number),
      onAuthenticationFailed: ({ reason }) => setRefusal(reason),
      onClose: ({ event }) => {
        if (event.reason?.startsWith("tongke:")) setRefusal(event.reason);
      },
      onAwarenessChange: ({ states }) =>
        setPeople(
          states
            .filter((s) => s.user)
            .map((s) => ({ clientId: s.clientId, name: String(s.user.name), color: String(s.user.color) })),
        ),
    });
    setProvider(instance);
    const updateOnline = () => setOnline(navigator.onLine);
    updateOnline();
    window.addEventListener("online", updateOnline);
    window.addEventListener("offline", updateOnline);
    return () => {
      window.removeEventListener("online", updateOnline);
      window.removeEventListener("offline", updateOnline);
      instance.destroy();
      void local.destroy();
    };
  }, [doc, planId]);

  // Closing the tab with edits the server has not acknowledged asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (provider && provider.unsyncedChanges > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [provider]);

  const state: SyncState =
    !online || status === WebSocketStatus.Disconnected
      ? "offline"
      : unsynced > 0
        ? "pending"
        : status === WebSocketStatus.Connected
          ? "saved"
          : "connecting";
  return { doc, provider, state, unsynced, refusal, people, user: { ...user, color: colourOf(user.id) } };
}

export default function PlanEditor({ planId, readOnly, user, lang }: PlanEditorProps) {
  const { t } = useTranslation("editor");
  const session = useCollaboration(planId, user);
  if (!session.provider) return <p className="muted">{t("loading")}</p>;
  return <CollaborativeEditor {...session} provider={session.provider} planId={planId} readOnly={readOnly} lang={lang} />;
}

function CollaborativeEditor({
  doc,
  provider,
  state,
  unsynced,
  refusal,
  people,
  user,
  planId,
  readOnly,
  lang,
}: ReturnType<typeof useCollaboration> & { provider: HocuspocusProvider; planId: string; readOnly: boolean; lang: string }) {
  const { t } = useTranslation("editor");
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        ...planExtensions({ collaborative: true }),
        Collaboration.configure({ document: doc, field: PLAN_FRAGMENT }),
        CollaborationCaret.configure({ provider, user: { name: user.name, color: user.color } }),
      ],
      editorProps: {
        attributes: {
          class: "plan-content editor-surface",
          lang,
          "aria-label": t("surfaceLabel"),
          "aria-multiline": "true",
          role: "textbox",
        },
      },
    },
    [doc, provider, readOnly],
  );

  return (
    <div className="editor">
      <div className="editor-bar">
        <p className={`sync-state sync-${state}`} role="status" aria-live="polite">
          {readOnly ? `${t("readOnly")} · ` : null}
          {state === "pending" ? t("pending", { count: unsynced }) : t(`state.${state}`)}
          {state === "offline" && unsynced > 0 ? ` · ${t("pending", { count: unsynced })}` : null}
        </p>
        <ul className="people" aria-label={t("people")}>
          {people.map((p) => (
            <li key={p.clientId} style={{ borderColor: p.color }}>
              <span className="people-dot" style={{ background: p.color }} aria-hidden="true" />
              {p.name}
            </li>
          ))}
        </ul>
      </div>
      {refusal ? (
        <div className="form-error" role="alert">
          <p>{t(`reasons.${reasonKey(refusal)}`)}</p>
          <button type="button" className="button button--secondary" onClick={() => window.location.reload()}>
            {t("reload")}
          </button>
        </div>
      ) : null}
      {editor && !readOnly ? <Toolbar editor={editor} planId={planId} /> : null}
      <EditorContent editor={editor} />
    </div>
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
  const toggle = (label: string, pressed: boolean, run: () => void, text: string) => (
    <button type="button" className="tool" aria-label={label} title={label} aria-pressed={pressed} onClick={run}>
      {text}
    </button>
  );
  const command = (label: string, run: () => void, text: string, disabled = false) => (
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
    chain().setImage({ src: result.src, alt: file.name.replace(/\.[^.]+$/, "") }).run();
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
      {toggle(t("link"), active.link, () => {
        if (active.link) return chain().unsetLink().run();
        const href = window.prompt(t("linkPrompt"));
        if (href && isSafeHref(href)) chain().setLink({ href }).run();
        else if (href) setUploadError(t("linkInvalid"));
      }, "🔗")}
      {command(t("insertTable"), () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), "▦")}
      {active.inTable ? (
        <>
          {command(t("addRow"), () => chain().addRowAfter().run(), "+⎯")}
          {command(t("addColumn"), () => chain().addColumnAfter().run(), "+|")}
          {command(t("deleteRow"), () => chain().deleteRow().run(), "−⎯")}
        </>
      ) : null}
      {command(t("image"), () => fileInput.current?.click(), "🖼")}
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
