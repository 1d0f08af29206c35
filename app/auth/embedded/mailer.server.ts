import fs from "node:fs/promises";
import path from "node:path";
import type { DbHandle } from "../../db/client.server";
import { htmlToText, linksIn, renderMailTemplate, TemplateError } from "./mail-template.server";

/** Also in supabase/config.toml ([auth.email.template.invite] subject); a unit test keeps them equal. */
export const INVITE_SUBJECT = "同课 Tongke 邀请 · གདན་ཞུ། · Invitation";

/** The template supabase/config.toml names for Supabase Auth's invitation mail. */
export const INVITE_TEMPLATE = "supabase/templates/invite.html";

export type MailKind = "invite";

export interface OutgoingMail {
  kind: MailKind;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The mail's action link (the one carrying the token), for the development outbox. */
  link: string | null;
}

/** Where the embedded Auth server's mail goes. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * The embedded default: mail is kept in auth.local_outbox (shown at /dev/outbox), the way
 * Supabase CLI's local stack keeps it in Inbucket. Nothing leaves the machine.
 */
export function createOutboxMailer(handle: DbHandle): Mailer {
  return {
    async send(mail) {
      await handle.query(
        `insert into auth.local_outbox (to_email, subject, html, text_body, link, kind) values ($1, $2, $3, $4, $5, $6)`,
        [mail.to, mail.subject, mail.html, mail.text, mail.link, mail.kind],
      );
    },
  };
}

/** The invitation template's path: TONGKE_ROOT (or the working directory) + INVITE_TEMPLATE. */
export const defaultInviteTemplatePath = () => path.resolve(process.env.TONGKE_ROOT ?? process.cwd(), INVITE_TEMPLATE);

/** Read at each invitation (they are rare), so an edited template applies at once, as GoTrue reloads its own. */
export const readTemplate = (file: string) => fs.readFile(file, "utf8");

export interface InviteMailInput {
  /** GoTrue's SITE_URL: the app's origin, without a trailing slash. */
  siteUrl: string;
  tokenHash: string;
  redirectTo: string;
  email: string;
  /** The invited user's user_metadata (Supabase's `.Data`). */
  data: Record<string, unknown>;
}

/** Renders the invitation mail from the template: HTML, a text version and the action link. */
export function composeInviteMail(template: string, input: InviteMailInput): OutgoingMail {
  const html = renderMailTemplate(template, {
    SiteURL: input.siteUrl,
    TokenHash: input.tokenHash,
    RedirectTo: input.redirectTo,
    Email: input.email,
    Data: input.data,
  });
  const link = linksIn(html).find((href) => href.includes(input.tokenHash));
  if (!link) throw new TemplateError(`${INVITE_TEMPLATE} has no link carrying {{ .TokenHash }}`);
  return { kind: "invite", to: input.email, subject: INVITE_SUBJECT, html, text: htmlToText(html), link };
}
