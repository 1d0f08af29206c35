import { describe, expect, it } from "vitest";
import {
  decodeHtmlEntities,
  escapeHtml,
  escapeUrlComponent,
  htmlToText,
  linksIn,
  renderMailTemplate,
  TemplateError,
  type MailTemplateData,
} from "./mail-template.server";

const DATA: MailTemplateData = {
  SiteURL: "http://127.0.0.1:3000",
  TokenHash: "0123456789abcdef0123456789abcdef0123456789abcdef01234567",
  RedirectTo: "http://127.0.0.1:3000/schools/42?tab=people&x=a b",
  Email: "deng.xiaomei@example.com",
  Data: { display_name: "邓小梅", school_name: "合川区南屏小学", count: 3, empty: "", nothing: null },
};

const render = (source: string, data: Partial<MailTemplateData> = {}) => renderMailTemplate(source, { ...DATA, ...data });

describe("renderMailTemplate: substitution", () => {
  it("substitutes .SiteURL, .TokenHash, .RedirectTo, .Email and .Data.<key>", () => {
    expect(render("<p>{{ .Email }} · {{ .Data.display_name }} · {{ .Data.school_name }} · {{ .Data.count }}</p>")).toBe(
      "<p>deng.xiaomei@example.com · 邓小梅 · 合川区南屏小学 · 3</p>",
    );
    expect(render("<p>{{.TokenHash}}</p>")).toBe(`<p>${DATA.TokenHash}</p>`);
    expect(render("<p>{{ .SiteURL }}</p>")).toBe("<p>http://127.0.0.1:3000</p>");
  });

  it("prints nothing for missing or null metadata, as html/template does", () => {
    expect(render("<p>[{{ .Data.missing }}][{{ .Data.nothing }}]</p>")).toBe("<p>[][]</p>");
    expect(render("<p>{{ .Data.display_name }}</p>", { Data: {} })).toBe("<p></p>");
  });

  it("HTML-escapes values in text and quoted attributes with html/template's table", () => {
    const Data = { display_name: `<script>alert("x")</script> & 'q' +1` };
    expect(render("<p>{{ .Data.display_name }}</p>", { Data })).toBe(
      "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39; &#43;1</p>",
    );
    expect(render(`<abbr title="{{ .Data.display_name }}">x</abbr>`, { Data })).toBe(
      `<abbr title="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39; &#43;1">x</abbr>`,
    );
    expect(render(`<abbr title='{{ .Data.display_name }}'>x</abbr>`, { Data: { display_name: "it's" } })).toBe(
      `<abbr title='it&#39;s'>x</abbr>`,
    );
    expect(render("<title>{{ .Data.display_name }}</title>", { Data: { display_name: "a<b" } })).toBe("<title>a&lt;b</title>");
  });

  it("builds the invitation link as html/template does: normalised site URL, percent-encoded query values", () => {
    const html = render(
      `<a href="{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=invite&redirect_to={{ .RedirectTo }}">go</a>`,
    );
    expect(html).toBe(
      `<a href="http://127.0.0.1:3000/auth/confirm?token_hash=${DATA.TokenHash}&type=invite` +
        `&redirect_to=http%3a%2f%2f127.0.0.1%3a3000%2fschools%2f42%3ftab%3dpeople%26x%3da%20b">go</a>`,
    );
    const [link] = linksIn(html);
    expect(new URL(link).searchParams.get("redirect_to")).toBe(DATA.RedirectTo);
    expect(new URL(link).searchParams.get("token_hash")).toBe(DATA.TokenHash);
  });

  it("encodes non-ASCII and reserved characters per UTF-8 byte in query values, lowercase hex", () => {
    expect(escapeUrlComponent("合 a&b/c?d#e%f~g")).toBe("%e5%90%88%20a%26b%2fc%3fd%23e%25f~g");
    expect(render(`<a href="https://x.test/?q={{ .Data.display_name }}">x</a>`)).toBe(
      `<a href="https://x.test/?q=%e9%82%93%e5%b0%8f%e6%a2%85">x</a>`,
    );
  });

  it("normalises a value that starts a URL and keeps its reserved characters and valid escapes", () => {
    expect(render(`<a href="{{ .SiteURL }}">x</a>`, { SiteURL: "https://tongke.example/a b/合?x=1&y=%41" })).toBe(
      `<a href="https://tongke.example/a%20b/%e5%90%88?x=1&amp;y=%41">x</a>`,
    );
  });

  it("refuses unsafe URL schemes where a value starts a URL", () => {
    expect(render(`<a href="{{ .Data.url }}">x</a>`, { Data: { url: "javascript:alert(1)" } })).toBe(`<a href="#ZgotmplZ">x</a>`);
    expect(render(`<a href="{{ .Data.url }}">x</a>`, { Data: { url: "JavaScript:alert(1)" } })).toBe(`<a href="#ZgotmplZ">x</a>`);
    expect(render(`<a href="{{ .Data.url }}">x</a>`, { Data: { url: "mailto:a@b.test" } })).toBe(`<a href="mailto:a@b.test">x</a>`);
    expect(render(`<img src="{{ .Data.url }}" alt="">`, { Data: { url: "data:text/html,x" } })).toBe(`<img src="#ZgotmplZ" alt="">`);
  });

  it("a value after the start of a URL but before its query is normalised, not encoded", () => {
    expect(render(`<a href="https://x.test/{{ .Data.path }}">x</a>`, { Data: { path: "a/b c" } })).toBe(
      `<a href="https://x.test/a/b%20c">x</a>`,
    );
  });
});

describe("renderMailTemplate: control structures", () => {
  it("renders if / else / end on Go's truth, nested", () => {
    const source = "{{ if .Data.display_name }}A{{ if .Data.school_name }}B{{ else }}C{{ end }}{{ else }}D{{ end }}";
    expect(render(source)).toBe("AB");
    expect(render(source, { Data: { display_name: "x" } })).toBe("AC");
    expect(render(source, { Data: {} })).toBe("D");
    for (const falsy of ["", 0, false, null, [], {}])
      expect(render("{{ if .Data.v }}yes{{ else }}no{{ end }}", { Data: { v: falsy } })).toBe("no");
    expect(render("{{ if .Data.v }}yes{{ end }}", { Data: { v: "0" } })).toBe("yes");
  });

  it("trims whitespace at {{- and -}} and drops template and HTML comments", () => {
    expect(render("<p>\n  {{- .Email -}}\n</p>")).toBe("<p>deng.xiaomei@example.com</p>");
    expect(render("<p>{{/* a note */}}x<!-- hidden {{ .Email }} -->y</p>")).toBe("<p>xy</p>");
  });

  it("refuses what it does not implement instead of rendering it differently", () => {
    const refused = [
      "{{ .Token }}",
      "{{ .ConfirmationURL }}",
      "{{ .Data }}",
      '{{ printf "%s" .Email }}',
      "{{ .Email | html }}",
      "{{ if .Email }}x",
      "{{ end }}",
      "{{ else }}",
      "{{ if .Email }}a{{ else }}b{{ else }}c{{ end }}",
      `<p style="color: {{ .Data.c }}">x</p>`,
      `<a onclick="{{ .Email }}">x</a>`,
      "<script>var e = {{ .Email }};</script>",
      "<style>p { color: {{ .Data.c }} }</style>",
      "<a href={{ .SiteURL }}>x</a>",
      "<p {{ .Email }}>x</p>",
    ];
    for (const source of refused) expect(() => render(source), source).toThrow(TemplateError);
  });
});

describe("mail helpers", () => {
  it("escapes and decodes HTML", () => {
    expect(escapeHtml(`a&b<c>"d"'e'+f\0`)).toBe("a&amp;b&lt;c&gt;&#34;d&#34;&#39;e&#39;&#43;f\uFFFD");
    expect(decodeHtmlEntities("&lt;&amp;&gt;&quot;&#39;&#x5408;&#21512;&nbsp;&unknown;")).toBe(`<&>"'合合\u00a0&unknown;`);
  });

  it("lists a mail's links, decoded", () => {
    expect(linksIn(`<p><a class="b" href="https://x.test/?a=1&amp;b=2">x</a> <a href='https://y.test/'>y</a></p>`)).toEqual([
      "https://x.test/?a=1&b=2",
      "https://y.test/",
    ]);
  });

  it("turns a mail into text: paragraphs on lines, links as 'text: URL', no head or styles", () => {
    const html = `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>
      <h1>同课   Tongke</h1><!-- note -->
      <p>Hello &lt;Deng&gt;,
         welcome.</p>
      <p><a href="https://x.test/?a=1&amp;b=2" style="color:#fff">Accept <b>now</b></a></p>
      <p><a href="https://y.test/">https://y.test/</a><br>line two</p></body></html>`;
    expect(htmlToText(html)).toBe(
      ["同课 Tongke", "", "Hello <Deng>, welcome.", "", "Accept now: https://x.test/?a=1&b=2", "", "https://y.test/", "line two"].join(
        "\n",
      ),
    );
  });
});
