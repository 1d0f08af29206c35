import type { Extension } from "@hocuspocus/server";
import type { CollabContext } from "../context";

/**
 * Who-is-here comes from the server: every awareness state a connection sends gets the `user`
 * of its authenticated account (name, colour, editor or reader), whatever the client claimed,
 * and a connection may only speak for the awareness client ids it introduced itself.
 */
export function presence(): Extension<CollabContext> {
  /** Awareness client id → the context of the connection that owns it, per document. */
  const owners = new Map<string, Map<number, CollabContext>>();
  return {
    extensionName: "tongke-presence",
    async beforeHandleAwareness({ connection, documentName, states }) {
      if (!connection) return; // the server's own awareness
      const context = connection.context;
      let owned = owners.get(documentName);
      if (!owned) owners.set(documentName, (owned = new Map()));
      for (const [clientId, state] of states) {
        const owner = owned.get(clientId);
        if (!context?.user || (owner && owner !== context)) {
          states.delete(clientId);
          continue;
        }
        owned.set(clientId, context);
        if (state && Object.keys(state).length > 0) state.user = { ...context.user };
      }
    },
    async onDisconnect({ documentName, context }) {
      const owned = owners.get(documentName);
      for (const [clientId, owner] of owned ?? []) if (owner === context) owned!.delete(clientId);
    },
    async afterUnloadDocument({ documentName }) {
      owners.delete(documentName);
    },
  };
}
