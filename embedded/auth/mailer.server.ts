import fs from "node:fs/promises";
import path from "node:path";
import { appRoot } from "~/config.server";
import type { DbHandle } from "~/db/client.server";
import { htmlToText, linksIn, renderMailTemplate, TemplateError } from "./mail-template.server";

/** Also in supabase/config.toml ([auth.email.template.invite] subject); a unit test keeps them equal. */
export const INVITE_SUBJECT = "同课 Tongke 邀请 · གདན་ཞུ། · Invitation";

/** The template supabase/config.toml names for Supabase Auth's invitation mail. */
export const INVITE_TEMPLATE = "supabase/templates/invite.html";

/**
 * The mails the embedded Auth server sends, each from its Supabase template (supabase/config.toml,
 * [auth.email.template.<configKey>]) with the same subject. "signup" is GoTrue's confirmation mail.
 */
export const MAIL_TEMPLATES = {
  invite: { configKey: "invite", file: INVITE_TEMPLATE, subject: INVITE_SUBJECT, type: "invite" },
  signup: {
    configKey: "confirmation",
    file: "supabase/templates/confirmation.html",
    subject: "同课 Tongke 确认邮箱 · གློག་འཕྲིན་ཁ་བྱང་ངོས་འཛིན། · Confirm your email",
    type: "signup",
  },
  recovery: {
    configKey: "recovery",
    file: "supabase/templates/recovery.html",
    subject: "同课 Tongke 重设密码 · གསང་ཨང་བསྐྱར་སྒྲིག · Reset your password",
    type: "recovery",
  },
  magiclink: {
    configKey: "magic_link",
    file: "supabase/templates/magic_link.html",
    subject: "同课 Tongke 登录链接 · ནང་འཛུལ་སྦྲེལ་ཐག · Your sign-in link",
    type: "magiclink",
  },
  email_change: {
    configKey: "email_change",
    file: "supabase/templates/email_change.html",
    subject: "同课 Tongke 确认更换邮箱 · གློག་འཕྲིན་ཁ་བྱང་བརྗེ་བ་ངོས་འཛིན། · Confirm your new email",
    type: "email_change",
  },
} as const;

export type MailKind = keyof typeof MAIL_TEMPLATES;

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
      await handle.query(`insert into auth.local_outbox (to_email, subject, html, text_body, link, kind) values ($1, $2, $3, $4, $5, $6)`, [
        mail.to,
        mail.subject,
        mail.html,
        mail.text,
        mail.link,
        mail.kind,
      ]);
    },
  };
}

/** The invitation template's path: TONGKE_ROOT (or the working directory) + INVITE_TEMPLATE. */
export const defaultInviteTemplatePath = () => path.resolve(appRoot(), INVITE_TEMPLATE);

/** Read at each invitation (they are rare), so an edited template applies at once, as GoTrue reloads its own. */
export const readTemplate = (file: string) => fs.readFile(file, "utf8");

/** A template's path: TONGKE_ROOT (or the working directory) + its file. */
export const templatePath = (kind: MailKind) => path.resolve(appRoot(), MAIL_TEMPLATES[kind].file);

/** Where each mail's template is read from; the default reads supabase/templates/ at each mail. */
export type TemplateSource = (kind: MailKind) => Promise<string>;
export const defaultTemplateSource: TemplateSource = (kind) => readTemplate(templatePath(kind));

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
  return composeMail("invite", template, input);
}

export interface MailInput extends InviteMailInput {
  /** Where the mail goes when that is not `email` (an email change's new address). */
  to?: string;
  /** The address an email change moves to. */
  newEmail?: string;
}

/** Renders one of MAIL_TEMPLATES: HTML, a text version and the action link (which must carry the token). */
export function composeMail(kind: MailKind, template: string, input: MailInput): OutgoingMail {
  const html = renderMailTemplate(template, {
    SiteURL: input.siteUrl,
    TokenHash: input.tokenHash,
    RedirectTo: input.redirectTo,
    Email: input.email,
    NewEmail: input.newEmail ?? "",
    Data: input.data,
  });
  const link = linksIn(html).find((href) => href.includes(input.tokenHash));
  if (!link) throw new TemplateError(`${MAIL_TEMPLATES[kind].file} has no link carrying {{ .TokenHash }}`);
  const { subject } = MAIL_TEMPLATES[kind];
  return { kind, to: input.to ?? input.email, subject, html, text: htmlToText(html), link };
}
