/**
 * The editor's connection, started while the page is still arriving. On the Leiwuqi link the
 * editor's chunk takes seconds to download; the WebSocket's handshake and the token request
 * (a round trip of 600 ms each) are made meanwhile by a small inline script on the edit page,
 * and the provider takes the socket over once the chunk has run, instead of starting them only
 * then. A client-side navigation to the editor runs no inline script: the provider connects as
 * before.
 */
export interface EarlyCollab {
  url: string;
  socket: WebSocket;
  token: Promise<string>;
}

declare global {
  interface Window {
    __tongkeEarlyCollab?: EarlyCollab;
  }
}

/** How long an unclaimed early socket stays open (the editor failed to load, the reader left). */
const UNCLAIMED_MS = 60_000;

/**
 * The inline script (ES5, no imports: it runs before any module). Same URL as `collabUrl`, same
 * request as `fetchCollabToken`; any failure leaves nothing behind and the provider connects itself.
 */
export const EARLY_COLLAB_SCRIPT = `(function () {
  try {
    var url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/collab";
    var socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    var token = fetch("/api/collab-token", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (body) { return body.token || ""; });
    token.catch(function () {});
    var early = { url: url, socket: socket, token: token };
    window.__tongkeEarlyCollab = early;
    setTimeout(function () {
      if (window.__tongkeEarlyCollab !== early) return;
      delete window.__tongkeEarlyCollab;
      socket.close();
    }, ${UNCLAIMED_MS});
  } catch (error) {}
})();`;

/**
 * The edit page's inline script: the editor's chunks preloaded (`modulepreload`), then the early
 * connection. An inline script runs once the style sheets before it have arrived, so the chunks
 * start downloading right after them: before, `<link>`s in the page made them compete with the
 * style sheet and delayed the plan's first paint by ~0.45 s on the Leiwuqi link; after the page's
 * own modules had run (the lazy import()), they started ~1.7 s later.
 */
export function earlyEditorScript(chunks: string[]): string {
  // JSON in a script: "<" escaped so that no URL can close the element.
  const urls = JSON.stringify(chunks).replace(/</g, "\\u003c");
  return `[].forEach.call(${urls}, function (href) {
  var link = document.createElement("link");
  link.rel = "modulepreload";
  link.href = href;
  document.head.appendChild(link);
});
${EARLY_COLLAB_SCRIPT}`;
}

/** The early connection for `url`, once: later sessions (a reconnect, a fresh start) connect themselves. */
export function claimEarlyCollab(url: string): EarlyCollab | null {
  const early = window.__tongkeEarlyCollab;
  delete window.__tongkeEarlyCollab;
  if (!early) return null;
  if (early.url === url) return early;
  early.socket.close();
  return null;
}

/**
 * A WebSocket class for the provider whose first instance is the early socket while it is
 * still opening or open (an already open one announces "open" again, once the provider
 * listens); every later instance, and the first when the early socket failed, is a new socket.
 */
export function webSocketClassWith(early: WebSocket): typeof WebSocket {
  let unclaimed: WebSocket | null = early;
  function EarlyWebSocket(url: string | URL, protocols?: string | string[]) {
    const socket = unclaimed;
    unclaimed = null;
    if (socket && socket.readyState === WebSocket.OPEN) {
      setTimeout(() => socket.dispatchEvent(new Event("open")), 0);
      return socket;
    }
    if (socket && socket.readyState === WebSocket.CONNECTING) return socket;
    socket?.close();
    return new WebSocket(url, protocols);
  }
  return Object.assign(EarlyWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 }) as unknown as typeof WebSocket;
}
