import * as decoding from "lib0/decoding";

/** Hocuspocus's message types (its wire protocol; `@hocuspocus/server` does not export them). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_SYNC_REPLY = 4;
/** y-protocols' sync message types. */
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** What a raw client message carries that may change a document. */
export type IncomingChange = { kind: "update"; update: Uint8Array } | { kind: "awareness" } | { kind: "other" };

/**
 * Reads a raw Hocuspocus message as `beforeHandleMessage` receives it: a document update
 * (a sync step 2 or an update: what the server would apply and acknowledge), an awareness
 * update, or anything else. A message that cannot be read is "other": Hocuspocus refuses it.
 */
export function readIncoming(raw: Uint8Array): IncomingChange {
  try {
    const decoder = decoding.createDecoder(raw);
    decoding.readVarString(decoder); // the document's address
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_AWARENESS) return { kind: "awareness" };
    if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return { kind: "other" };
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return { kind: "other" };
    return { kind: "update", update: decoding.readVarUint8Array(decoder) };
  } catch {
    return { kind: "other" };
  }
}

const MESSAGE_QUERY_AWARENESS = 3;

/**
 * Turns a raw message in place into a query for awareness, which Hocuspocus answers with
 * nothing on a connection: how a hook drops a message it refused after closing the connection
 * itself (throwing would make Hocuspocus log a refusal as an error).
 */
export function neutralize(raw: Uint8Array): void {
  const decoder = decoding.createDecoder(raw);
  decoding.readVarString(decoder);
  // Every message type is below 128, so it is one byte.
  raw[decoder.pos] = MESSAGE_QUERY_AWARENESS;
}

const MESSAGE_SYNC_STATUS = 8;

/** Whether an outgoing message is Hocuspocus's acknowledgement of an update (sync status). */
export function isAcknowledgement(message: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC_STATUS;
  } catch {
    return false;
  }
}
