const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text made safe to put into HTML the server writes by hand (the print export, the outbox,
 * refusal pages): as element content and inside quoted attribute values. React escapes what
 * it renders by itself; the mail templates follow Go's html/template (mail-template.server.ts).
 */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
