import { COLLAB_CLOSE_CODE } from "./close-reasons";

/**
 * A refusal a hook throws: Hocuspocus sends it to the provider as permission-denied (while
 * authenticating) or closes the connection with this code and reason (while handling a message).
 */
export class CollabRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly code: number = COLLAB_CLOSE_CODE,
  ) {
    // No message: Hocuspocus logs hook errors that have one, and a refusal is not an error.
    super("");
  }
}
