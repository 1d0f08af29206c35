import express, { type NextFunction, type Request, type Response } from "express";
import type { TFunction } from "i18next";
import type { DbHandle } from "~/db/client.server";
import { getLocale, i18nServer } from "~/i18n/i18next.server";
import type { Locale } from "~/i18n/config";
import { escapeHtml } from "~/lib/html";
import { isUuid } from "./users.server";

/**
 * The development outbox (Supabase CLI's Inbucket, for the embedded default): the mail the
 * embedded Auth server "sent", from auth.local_outbox. Plain server-rendered HTML, no script.
 * Mount it only in development (or a test server that asks for it): the links it shows
 * sign their recipients in.
 */
export const OUTBOX_LIMIT = 50;

interface MailRow {
  id: string;
  to_email: string;
  subject: string;
  link: string | null;
  kind: string;
  created_at: Date | string;
}

interface FullMailRow extends MailRow {
  html: string;
  text_body: string;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f1ea; color: #1f2933; line-height: 1.6;
  font-family: "Noto Sans SC", "Noto Serif Tibetan", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
p, dl, table, pre { margin: 0 0 1rem; }
a { color: #1d4ed8; text-decoration: underline; }
a:hover { color: #1e3a8a; }
a:focus-visible, .scroll:focus-visible {
  outline: 3px solid #b45309; outline-offset: 2px; border-radius: 2px; }
.scroll { overflow-x: auto; background: #ffffff; border: 1px solid #d9d4c7; border-radius: 8px; }
table { width: 100%; border-collapse: collapse; margin: 0; }
caption { text-align: start; font-weight: 700; padding: 0.75rem; }
th, td { text-align: start; vertical-align: top; padding: 0.5rem 0.75rem; border-top: 1px solid #e5e1d6; }
th { background: #f9f7f2; }
td { overflow-wrap: anywhere; }
.muted { color: #52606d; }
.card { background: #ffffff; border: 1px solid #d9d4c7; border-radius: 8px; padding: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 700; }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9rem; }
code { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #ffffff; border: 1px solid #d9d4c7; border-radius: 8px; padding: 0.75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (max-width: 40rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.5rem; } }
`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · 同课 Tongke</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The reader's language, as the app picks it: the `lng` cookie, else Accept-Language, else Chinese. */
async function translator(req: Request): Promise<{ locale: Locale; t: TFunction }> {
  const request = new Request(`http://local${req.originalUrl}`, {
    headers: { cookie: req.get("cookie") ?? "", "accept-language": req.get("accept-language") ?? "" },
  });
  const locale = await getLocale(request);
  return { locale, t: (await i18nServer.getFixedT(locale, "outbox")) as unknown as TFunction };
}

function formatTime(locale: Locale, value: Date | string): { iso: string; shown: string } {
  const date = new Date(value);
  return { iso: date.toISOString(), shown: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(date) };
}

function send(res: Response, status: number, html: string) {
  res
    .status(status)
    .set({ "cache-control": "no-store", "x-robots-tag": "noindex", "referrer-policy": "no-referrer" })
    .type("html")
    .send(html);
}

const kindLabel = (t: TFunction, kind: string) => (kind === "invite" ? t("kinds.invite") : kind);

function listPage(locale: Locale, t: TFunction, base: string, mails: MailRow[]): string {
  const rows = mails
    .map((mail) => {
      const time = formatTime(locale, mail.created_at);
      const link = mail.link
        ? `<a href="${escapeHtml(mail.link)}">${escapeHtml(t("openLink"))}<span class="visually-hidden"> ${escapeHtml(t("openLinkFor", { to: mail.to_email }))}</span></a>`
        : `<span class="muted">${escapeHtml(t("noLink"))}</span>`;
      return `<tr>
<td><a href="${escapeHtml(`${base}/${mail.id}`)}">${escapeHtml(mail.to_email)}</a></td>
<td>${escapeHtml(mail.subject)}</td>
<td><time datetime="${time.iso}">${escapeHtml(time.shown)}</time></td>
<td>${link}</td>
</tr>`;
    })
    .join("\n");
  const list =
    mails.length === 0
      ? `<p class="card">${escapeHtml(t("empty"))}</p>`
      : `<div class="scroll">
<table>
<caption>${escapeHtml(t("listCaption"))}</caption>
<thead><tr><th scope="col">${escapeHtml(t("columns.to"))}</th><th scope="col">${escapeHtml(t("columns.subject"))}</th><th scope="col">${escapeHtml(t("columns.sentAt"))}</th><th scope="col">${escapeHtml(t("columns.link"))}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`;
  return page(locale, t("title"), `<h1>${escapeHtml(t("title"))}</h1>\n<p>${escapeHtml(t("intro"))}</p>\n${list}`);
}

function mailPage(locale: Locale, t: TFunction, base: string, mail: FullMailRow): string {
  const time = formatTime(locale, mail.created_at);
  const link = mail.link
    ? `<p><a href="${escapeHtml(mail.link)}">${escapeHtml(t("openLink"))}</a></p>\n<p><code>${escapeHtml(mail.link)}</code></p>`
    : `<p class="muted">${escapeHtml(t("noLink"))}</p>`;
  const body = `<p><a href="${escapeHtml(`${base}/`)}">${escapeHtml(t("back"))}</a></p>
<h1>${escapeHtml(mail.subject)}</h1>
<h2>${escapeHtml(t("mail.details"))}</h2>
<dl class="card">
<dt>${escapeHtml(t("columns.to"))}</dt><dd>${escapeHtml(mail.to_email)}</dd>
<dt>${escapeHtml(t("columns.sentAt"))}</dt><dd><time datetime="${time.iso}">${escapeHtml(time.shown)}</time></dd>
<dt>${escapeHtml(t("mail.kind"))}</dt><dd>${escapeHtml(kindLabel(t, mail.kind))}</dd>
</dl>
<h2>${escapeHtml(t("mail.link"))}</h2>
${link}
<h2>${escapeHtml(t("mail.preview"))}</h2>
<pre class="scroll" tabindex="0">${escapeHtml(mail.text_body)}</pre>`;
  return page(locale, mail.subject, body);
}

function notFoundPage(locale: Locale, t: TFunction, base: string): string {
  return page(
    locale,
    t("notFound.title"),
    `<h1>${escapeHtml(t("notFound.title"))}</h1>\n<p>${escapeHtml(t("notFound.body"))}</p>\n<p><a href="${escapeHtml(`${base}/`)}">${escapeHtml(t("back"))}</a></p>`,
  );
}

/**
 * The outbox pages: `/` lists the newest 50 mails, `/:id` shows one. Mount at /dev/outbox.
 * `handle` may be a function returning the handle or a promise of it (a database still opening).
 */
export function createOutboxRouter({ handle }: { handle: DbHandle | (() => DbHandle | Promise<DbHandle>) }): express.Router {
  const db = async () => (typeof handle === "function" ? handle() : handle);
  const router = express.Router();
  type Handler = (req: Request, res: Response) => Promise<void>;
  const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };

  router.get(
    "/",
    wrap(async (req, res) => {
      const { locale, t } = await translator(req);
      const mails = await (
        await db()
      ).query<MailRow>(
        `select id::text as id, to_email, subject, link, kind, created_at
           from auth.local_outbox order by created_at desc, id desc limit $1`,
        [OUTBOX_LIMIT],
      );
      send(res, 200, listPage(locale, t, req.baseUrl, mails));
    }),
  );

  router.get(
    "/:id",
    wrap(async (req, res) => {
      const { locale, t } = await translator(req);
      const [mail] = isUuid(req.params.id)
        ? await (
            await db()
          ).query<FullMailRow>(
            `select id::text as id, to_email, subject, html, text_body, link, kind, created_at
               from auth.local_outbox where id = $1::uuid`,
            [req.params.id],
          )
        : [];
      if (!mail) return send(res, 404, notFoundPage(locale, t, req.baseUrl));
      send(res, 200, mailPage(locale, t, req.baseUrl, mail));
    }),
  );

  router.use(
    wrap(async (req, res) => {
      const { locale, t } = await translator(req);
      send(res, 404, notFoundPage(locale, t, req.baseUrl));
    }),
  );
  return router;
}
