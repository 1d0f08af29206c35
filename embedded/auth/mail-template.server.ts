/**
 * The part of Go's html/template that Supabase Auth's mail templates need, so that one
 * template file (supabase/templates/*.html, named by supabase/config.toml) renders the
 * same here as in Supabase Auth:
 *
 * - `{{ .SiteURL }}`, `{{ .TokenHash }}`, `{{ .RedirectTo }}`, `{{ .Email }}`, `{{ .NewEmail }}`
 *   (email change mails) and `{{ .Data.<key> }}` (the user's metadata); nothing else;
 * - `{{ if <one of those> }} … {{ else }} … {{ end }}`, comments `{{/* … *\/}}` and the
 *   `{{-` / `-}}` whitespace trimming;
 * - contextual escaping as html/template does it: HTML text and quoted attributes are
 *   HTML-escaped, a value that starts a URL attribute is filtered (only http, https and
 *   mailto) and normalised, a value in a URL's query or fragment is percent-encoded;
 *   HTML comments are left out of the output.
 *
 * Anything else (other functions, pipelines, values in scripts, styles, event handlers or
 * unquoted attributes) is refused with a TemplateError rather than rendered differently.
 */

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

export interface MailTemplateData {
  SiteURL: string;
  TokenHash: string;
  RedirectTo: string;
  Email: string;
  /** The address an email change moves to (GoTrue's .NewEmail); empty in other mails. */
  NewEmail?: string;
  Data: Record<string, unknown>;
}

type Simple = "SiteURL" | "TokenHash" | "RedirectTo" | "Email" | "NewEmail";
type Variable = { name: Simple } | { name: "Data"; key: string };
type Node =
  | { type: "text"; text: string }
  | { type: "value"; variable: Variable; source: string }
  | { type: "if"; variable: Variable; then: Node[]; otherwise: Node[] };

const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;
const SIMPLE = new Set(["SiteURL", "TokenHash", "RedirectTo", "Email", "NewEmail"]);

function parseVariable(expression: string, source: string): Variable {
  const data = /^\.Data\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
  if (data) return { name: "Data", key: data[1] };
  const simple = /^\.([A-Za-z]+)$/.exec(expression);
  if (simple && SIMPLE.has(simple[1])) return { name: simple[1] as Simple };
  throw new TemplateError(`Unsupported template action ${source}`);
}

/** Parses a template into text, values and conditionals. */
export function parseTemplate(source: string): Node[] {
  const root: Node[] = [];
  const stack: { nodes: Node[]; node?: Extract<Node, { type: "if" }>; inElse: boolean }[] = [{ nodes: root, inElse: false }];
  let last = 0;
  let trimNext = false;
  const pushText = (text: string) => {
    if (text) stack[stack.length - 1].nodes.push({ type: "text", text });
  };
  for (const match of source.matchAll(ACTION)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (match[1]) text = text.replace(/\s+$/, "");
    pushText(text);
    last = match.index + match[0].length;
    trimNext = Boolean(match[3]);
    const body = match[2];
    const top = stack[stack.length - 1];
    if (/^\/\*[\s\S]*\*\/$/.test(body)) continue;
    const ifMatch = /^if\s+(\S+)$/.exec(body);
    if (ifMatch) {
      const node: Extract<Node, { type: "if" }> = { type: "if", variable: parseVariable(ifMatch[1], match[0]), then: [], otherwise: [] };
      top.nodes.push(node);
      stack.push({ nodes: node.then, node, inElse: false });
    } else if (body === "else") {
      if (!top.node || top.inElse) throw new TemplateError(`Unexpected ${match[0]}`);
      top.nodes = top.node.otherwise;
      top.inElse = true;
    } else if (body === "end") {
      if (!top.node) throw new TemplateError(`Unexpected ${match[0]}`);
      stack.pop();
    } else {
      top.nodes.push({ type: "value", variable: parseVariable(body, match[0]), source: match[0] });
    }
  }
  let tail = source.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, "");
  pushText(tail);
  if (stack.length > 1) throw new TemplateError("Missing {{ end }}");
  return root;
}

function lookup(variable: Variable, data: MailTemplateData): unknown {
  return variable.name === "Data" ? data.Data?.[variable.key] : data[variable.name];
}

/** Go's template truth: false, 0, nil, "" and empty maps and slices are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** How a value prints: missing values print nothing (html/template), objects as JSON. */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const HTML_ESCAPES: Record<string, string> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "&": "&amp;",
  "'": "&#39;",
  "+": "&#43;",
  "<": "&lt;",
  ">": "&gt;",
};

/** html/template's htmlEscaper (text and quoted attribute values). */
export const escapeHtml = (text: string) => text.replace(/[\0"&'+<>]/g, (c) => HTML_ESCAPES[c]);

const RESERVED = "!#$&*+,/:;=?@[]";
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * html/template's processURLOnto: percent-encodes (lowercase hex, per UTF-8 byte) what is
 * not unreserved; when normalising, reserved characters and valid %xx escapes stay.
 */
function processUrl(text: string, normalise: boolean): string {
  const bytes = Buffer.from(text, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]);
    if (bytes[i] < 0x80 && UNRESERVED.test(c)) out += c;
    else if (normalise && RESERVED.includes(c)) out += c;
    else if (normalise && c === "%" && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) out += c;
    else out += `%${bytes[i].toString(16).padStart(2, "0")}`;
  }
  return out;
}
const isHex = (byte: number) => /[0-9A-Fa-f]/.test(String.fromCharCode(byte));

/** Go's urlEscaper: a value inside a URL's query or fragment. */
export const escapeUrlComponent = (text: string) => processUrl(text, false);

/** Go's urlFilter: a URL with a scheme other than http, https or mailto becomes #ZgotmplZ. */
function filterUrl(text: string): string {
  const colon = text.indexOf(":");
  if (colon >= 0 && !text.slice(0, colon).includes("/")) {
    const scheme = text.slice(0, colon).toLowerCase();
    if (scheme !== "http" && scheme !== "https" && scheme !== "mailto") return "#ZgotmplZ";
  }
  return text;
}

const URL_ATTRIBUTES = new Set([
  "action",
  "background",
  "cite",
  "codebase",
  "data",
  "formaction",
  "href",
  "icon",
  "longdesc",
  "manifest",
  "poster",
  "profile",
  "src",
  "usemap",
]);
const isUrlAttribute = (name: string) => URL_ATTRIBUTES.has(name) || /src|uri|url/.test(name);
const RAW_TEXT = new Set(["script", "style", "title", "textarea"]);

type State =
  | { kind: "text" }
  | { kind: "comment" }
  | { kind: "raw"; tag: string }
  | { kind: "tag"; tag: string; closing: boolean; attr?: string; phase: "between" | "name" | "afterName" | "beforeValue" }
  | { kind: "value"; tag: string; attr: string; quote: string; urlPart: "none" | "pre" | "query" };

/** Follows the HTML the template produces, to know each value's context. */
class HtmlContext {
  state: State = { kind: "text" };

  /** Consumes output; returns what is emitted (HTML comments are dropped). */
  feed(chunk: string): string {
    let out = "";
    let i = 0;
    while (i < chunk.length) {
      const s = this.state;
      const c = chunk[i];
      if (s.kind === "comment") {
        const end = chunk.indexOf("-->", i);
        if (end < 0) return out;
        this.state = { kind: "text" };
        i = end + 3;
        continue;
      }
      if (s.kind === "text") {
        if (chunk.startsWith("<!--", i)) {
          this.state = { kind: "comment" };
          i += 4;
          continue;
        }
        const tag = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(chunk.slice(i, i + 64));
        if (tag) {
          this.state = { kind: "tag", tag: tag[2].toLowerCase(), closing: tag[1] === "/", phase: "between" };
          out += tag[0];
          i += tag[0].length;
          continue;
        }
        out += c;
        i++;
        continue;
      }
      if (s.kind === "raw") {
        const close = chunk.toLowerCase().indexOf(`</${s.tag}`, i);
        if (close < 0) return out + chunk.slice(i);
        out += chunk.slice(i, close);
        this.state = { kind: "text" };
        i = close;
        continue;
      }
      out += c;
      i++;
      if (s.kind === "value") {
        if (c === s.quote) this.state = { kind: "tag", tag: s.tag, closing: false, phase: "between" };
        else if (isUrlAttribute(s.attr) && s.urlPart !== "query") s.urlPart = c === "?" || c === "#" ? "query" : "pre";
        continue;
      }
      // In a tag.
      if (c === ">") {
        this.state = !s.closing && RAW_TEXT.has(s.tag) ? { kind: "raw", tag: s.tag } : { kind: "text" };
      } else if (/\s/.test(c)) {
        if (s.phase === "name") s.phase = "afterName";
      } else if (c === "=" && (s.phase === "name" || s.phase === "afterName")) {
        s.phase = "beforeValue";
      } else if (s.phase === "beforeValue") {
        if (c !== '"' && c !== "'") throw new TemplateError(`Unquoted attribute value in <${s.tag} ${s.attr}=…>`);
        this.state = { kind: "value", tag: s.tag, attr: s.attr!, quote: c, urlPart: "none" };
      } else if (c !== "/") {
        if (s.phase !== "name") s.attr = "";
        s.phase = "name";
        s.attr += c.toLowerCase();
      }
    }
    return out;
  }

  /** Escapes a value for the current context. */
  escape(value: string, source: string): string {
    const s = this.state;
    if (s.kind === "text") return escapeHtml(value);
    if (s.kind === "comment") return "";
    if (s.kind === "raw" && (s.tag === "title" || s.tag === "textarea")) return escapeHtml(value);
    if (s.kind === "value") {
      if (s.attr.startsWith("on") || s.attr === "style") throw new TemplateError(`${source} in a ${s.attr} attribute is not supported`);
      if (!isUrlAttribute(s.attr)) return escapeHtml(value);
      if (s.urlPart === "query") return escapeHtml(escapeUrlComponent(value));
      return escapeHtml(processUrl(s.urlPart === "none" ? filterUrl(value) : value, true));
    }
    throw new TemplateError(`${source} cannot be used here (inside a tag or a <${s.kind === "raw" ? s.tag : "…"}> element)`);
  }
}

/** Renders a Supabase Auth mail template (see the module comment for what is supported). */
export function renderMailTemplate(source: string, data: MailTemplateData): string {
  const context = new HtmlContext();
  let out = "";
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.type === "text") out += context.feed(node.text);
      else if (node.type === "if") walk(truthy(lookup(node.variable, data)) ? node.then : node.otherwise);
      else out += context.feed(context.escape(stringify(lookup(node.variable, data)), node.source));
    }
  };
  walk(parseTemplate(source));
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The href values of a rendered mail's links, decoded. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => decodeHtmlEntities(m[1] ?? m[2]));
}

const BLOCK_END = /<\/(?:p|div|h[1-6]|li|tr|table|ul|ol|section|article|header|footer|blockquote|address)\s*>|<hr\b[^>]*>/gi;

/** A plain-text version of a rendered mail: paragraphs on their own lines, links as "text: URL". */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/\s+/g, " ")
    .replace(
      /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi,
      (_m, dq: string | undefined, sq: string | undefined, label: string) => {
        // Still HTML here: entities are decoded once, below, for the whole text.
        const href = dq ?? sq ?? "";
        const shown = label.replace(/<[^>]*>/g, "").trim();
        return shown && decodeHtmlEntities(shown) !== decodeHtmlEntities(href) ? `${shown}: ${href}` : href;
      },
    )
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(BLOCK_END, "\n\n")
    .replace(/<[^>]*>/g, "");
  return decodeHtmlEntities(text)
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
