import { HocuspocusProvider, WebSocketStatus, type onCloseParameters } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { collabUrl, fetchCollabToken } from "~/collab/browser";
import { claimEarlyCollab, webSocketClassWith } from "~/collab/early-socket";
import { REFUSED_CHANGE_REASONS } from "~/collab/close-reasons";
import type { PresenceUser } from "~/collab/presence";
import { planDocumentName } from "./extensions";

export type SyncState = "connecting" | "saved" | "pending" | "offline";

export interface Person {
  clientId: number;
  name: string;
  color: string;
  role: PresenceUser["role"];
}

type AwarenessStates = { clientId: number; [key: string]: unknown }[];

/**
 * Who is here, as the server names them: it overwrites every connection's `user` with the
 * authenticated user, so a remote entry's name and role are the server's word. A state
 * without a user (not yet stamped, or a client that never announced itself) is not listed.
 * Our own entry is what we sent; its role is what this page knows about our access.
 */
function peopleOf(states: AwarenessStates, self: number, ownRole: Person["role"]): Person[] {
  return states.flatMap(({ clientId, user }) => {
    if (!user || typeof user !== "object") return [];
    const { name, color, role } = user as Partial<Record<keyof PresenceUser, unknown>>;
    if (typeof name !== "string" || !name) return [];
    return [
      {
        clientId,
        name,
        color: typeof color === "string" ? color : "#57606a",
        role: clientId === self ? ownRole : role === "reader" ? "reader" : "editor",
      },
    ];
  });
}

/**
 * The server refuses a change by closing the document's connection with the reason: the
 * provider reports that close with code 1000 (the socket itself stays open), so the reason
 * decides.
 */
const isRefusedChange = ({ event }: onCloseParameters) => REFUSED_CHANGE_REASONS.includes(event.reason);

/**
 * The live co-editing session of one plan: Yjs document, offline copy in IndexedDB, provider.
 *
 * - "saved" means the server acknowledged every local change (no unsynced changes while
 *   connected); the server acknowledges only once the change is stored.
 * - Back online (or back to a visible tab) the provider reconnects at once instead of
 *   waiting out its exponential backoff.
 * - A refused change (schema, size) was not applied on the server: the session starts over
 *   from the server's state with a fresh document, and the offline copy holding the refused
 *   change is dropped so it is never sent again.
 */
export function useCollaborationSession(planId: string, readOnly: boolean) {
  const [generation, setGeneration] = useState(0);
  const [session, setSession] = useState<{ doc: Y.Doc; provider: HocuspocusProvider } | null>(null);
  const [status, setStatus] = useState<WebSocketStatus>(WebSocketStatus.Connecting);
  const [unsynced, setUnsynced] = useState(0);
  const [online, setOnline] = useState(true);
  const [closedBy, setClosedBy] = useState<string | null>(null);
  const [refusedChange, setRefusedChange] = useState<string | null>(null);
  const [people, setPeople] = useState<Person[]>([]);

  useEffect(() => {
    const name = planDocumentName(planId);
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(name, doc);
    let discarded = false;
    const ownRole = readOnly ? "reader" : "editor";
    const url = collabUrl();
    // The socket and token the edit page started while its chunks downloaded (first session only).
    const early = claimEarlyCollab(url);
    let earlyToken = early?.token ?? null;
    const provider: HocuspocusProvider = new HocuspocusProvider({
      url,
      name,
      document: doc,
      ...(early ? { WebSocketPolyfill: webSocketClassWith(early.socket) } : {}),
      token: () => {
        const token = earlyToken ?? fetchCollabToken();
        earlyToken = null;
        return token;
      },
      onStatus: ({ status }) => setStatus(status),
      onUnsyncedChanges: ({ number }) => setUnsynced(number),
      onAuthenticationFailed: ({ reason }) => setClosedBy(reason),
      onClose: (closed) => {
        if (isRefusedChange(closed)) startOver(closed.event.reason);
        else if (closed.event.reason?.startsWith("tongke:")) setClosedBy(closed.event.reason);
      },
      onAwarenessChange: ({ states }) => setPeople(peopleOf(states, doc.clientID, ownRole)),
    });
    const socket = provider.configuration.websocketProvider;

    function startOver(reason: string) {
      if (discarded) return;
      discarded = true;
      // Stop before the provider's own reconnect could send the refused change again.
      socket.disconnect();
      setRefusedChange(reason);
      setSession(null);
      // The next session opens the offline copy again: only once it has been deleted.
      void local.clearData().then(() => setGeneration((g) => g + 1));
    }

    // connect() cancels the pending retry and tries at once; it is a no-op when connected.
    const reconnect = () => {
      if (!discarded && socket.status !== WebSocketStatus.Connected) void socket.connect();
    };
    const updateOnline = () => {
      setOnline(navigator.onLine);
      if (navigator.onLine) reconnect();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && socket.status === WebSocketStatus.Disconnected) reconnect();
    };
    setOnline(navigator.onLine);
    setStatus(WebSocketStatus.Connecting);
    setUnsynced(0);
    setPeople([]);
    setSession({ doc, provider });
    window.addEventListener("online", updateOnline);
    window.addEventListener("offline", updateOnline);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("online", updateOnline);
      window.removeEventListener("offline", updateOnline);
      document.removeEventListener("visibilitychange", onVisible);
      provider.destroy();
      if (!discarded) void local.destroy();
    };
  }, [planId, readOnly, generation]);

  // Closing the tab with edits the server has not acknowledged asks first.
  useEffect(() => {
    if (!session) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (session.provider.unsyncedChanges > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [session]);

  const state: SyncState =
    !online || status === WebSocketStatus.Disconnected
      ? "offline"
      : unsynced > 0
        ? "pending"
        : status === WebSocketStatus.Connected
          ? "saved"
          : "connecting";
  return {
    session,
    state,
    unsynced,
    people,
    closedBy,
    refusedChange,
    dismissRefusedChange: () => setRefusedChange(null),
  };
}
