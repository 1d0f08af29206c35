/**
 * Why the collaboration server refused or closed a lesson plan's connection. Sent as the
 * Hocuspocus permission-denied / close reason; the editor shows each one translated.
 */
export const COLLAB_REASONS = {
  /** No valid access token (signed out, or the token expired and could not be refreshed). */
  unauthenticated: "tongke:unauthenticated",
  /** Not a reader of this plan, or no such plan (strangers learn nothing more). */
  forbidden: "tongke:forbidden",
  /** The document could not be loaded; nothing was changed. */
  unavailable: "tongke:unavailable",
  /** Access was removed while connected (co-author removed, pairing ended, left the school). */
  accessRevoked: "tongke:access-revoked",
  /** The session was signed out while connected (here or on another device, or everywhere by an administrator). */
  sessionEnded: "tongke:session-ended",
  /** Access changed while connected (e.g. the plan became final): reconnect to learn the new rights. */
  accessChanged: "tongke:access-changed",
  /** The last change would break the plan's schema (unknown content, bad attributes): it was not applied. */
  invalidContent: "tongke:invalid-content",
  /** One change was larger than the server accepts at once: it was not applied. */
  updateTooLarge: "tongke:update-too-large",
  /** The plan would grow past the largest size the server keeps: the change was not applied. */
  documentTooLarge: "tongke:document-too-large",
} as const;

export type CollabReason = (typeof COLLAB_REASONS)[keyof typeof COLLAB_REASONS];

/** The WebSocket close code sent with the reasons above (4000–4999 are the application's). */
export const COLLAB_CLOSE_CODE = 4403;

/**
 * The close code of a refused change (invalidContent, updateTooLarge, documentTooLarge) in
 * Hocuspocus's own close event and hooks. Providers receive only the reason: the editor tells
 * a refusal by its reason (REFUSED_CHANGE_REASONS).
 */
export const COLLAB_REFUSAL_CODE = 4422;

/** Reasons after which the editor drops its local copy and returns to the last saved state. */
export const REFUSED_CHANGE_REASONS: readonly string[] = [
  COLLAB_REASONS.invalidContent,
  COLLAB_REASONS.updateTooLarge,
  COLLAB_REASONS.documentTooLarge,
];
