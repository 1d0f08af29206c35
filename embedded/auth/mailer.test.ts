import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateTokenHash } from "./invite.server";
import { composeInviteMail, INVITE_SUBJECT, INVITE_TEMPLATE } from "./mailer.server";
import { isRedirectUrlValid } from "./referrer.server";

const root = path.resolve(__dirname, "../..");
const template = fs.readFileSync(path.join(root, INVITE_TEMPLATE), "utf8");
const TOKEN_HASH = generateTokenHash("deng@example.com", "secret");
const input = {
  siteUrl: "http://localhost:3000",
  tokenHash: TOKEN_HASH,
  redirectTo: "http://localhost:3000/schools/5b1e?x=1",
  email: "deng@example.com",
  data: { display_name: "邓小梅", invited_by_name: "王校长", school_name: "重庆市合川区南屏小学" },
};

describe("the invitation mail (supabase/templates/invite.html)", () => {
  it("is what supabase/config.toml names, with the same subject", () => {
    const config = fs.readFileSync(path.join(root, "supabase/config.toml"), "utf8");
    const section = /^\[auth\.email\.template\.invite\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(config)?.[1] ?? "";
    expect(/^subject\s*=\s*"(.*)"\s*$/m.exec(section)?.[1]).toBe(INVITE_SUBJECT);
    const contentPath = /^content_path\s*=\s*"(.*)"\s*$/m.exec(section)?.[1];
    // The CLI resolves email template paths from the repository root.
    expect(path.resolve(root, contentPath!)).toBe(path.join(root, INVITE_TEMPLATE));
  });

  it("links to /auth/confirm with the token hash, type invite and the encoded redirect", () => {
    const mail = composeInviteMail(template, input);
    expect(mail).toMatchObject({ kind: "invite", to: "deng@example.com", subject: INVITE_SUBJECT });
    expect(TOKEN_HASH).toMatch(/^[0-9a-f]{56}$/);
    expect(mail.link).toBe(
      `http://localhost:3000/auth/confirm?token_hash=${TOKEN_HASH}&type=invite&redirect_to=http%3a%2f%2flocalhost%3a3000%2fschools%2f5b1e%3fx%3d1`,
    );
    const url = new URL(mail.link!);
    expect(Object.fromEntries(url.searchParams)).toEqual({ token_hash: TOKEN_HASH, type: "invite", redirect_to: input.redirectTo });
    // One button per language, all the same link (the template's own & are left as written).
    expect(mail.html.split(`href="${mail.link}"`).length - 1).toBe(3);
  });

  it("says who invited them to which school, in Chinese, Tibetan and English, with the expiry", () => {
    const { html, text } = composeInviteMail(template, input);
    expect(html).toMatch(/<html lang="zh-CN">/);
    for (const lang of ["zh-CN", "bo", "en"]) expect(html).toContain(`<div lang="${lang}">`);
    expect(text).toContain("邓小梅，您好！");
    expect(text).toContain("王校长邀请您加入重庆市合川区南屏小学，在同课与结对学校的老师一起备课、上同一堂课。");
    expect(text).toContain("王校长 ཡིས་ཁྱེད་重庆市合川区南屏小学 ལ་ཞུགས་ནས་同课 ཐོག་ཆ་འགྲིག");
    expect(text).toContain("王校长 has invited you to join 重庆市合川区南屏小学 on Tongke, where teachers");
    expect(text).toContain("24 小时内有效");
    expect(text).toContain("ཆུ་ཚོད་ ༢༤");
    expect(text).toContain("This link works for 24 hours and only once.");
    expect(text).toContain(`接受邀请并设置密码: ${input.siteUrl}/auth/confirm?token_hash=${TOKEN_HASH}`);
    expect(text).toContain("Sent to: deng@example.com");
    expect(text).not.toMatch(/[<>{}]/);
  });

  it("reads well without an inviter, a school or a name", () => {
    const { text } = composeInviteMail(template, { ...input, data: {} });
    expect(text).toContain("您好！");
    expect(text).toContain("同课的管理员邀请您加入同课，与结对学校的老师一起备课、上同一堂课。");
    expect(text).toContain("同课 ཡི་དོ་དམ་པས་ཁྱེད་同课 ལ་ཞུགས་ནས་ཆ་འགྲིག");
    expect(text).toContain("Hello,");
    expect(text).toContain("A Tongke administrator has invited you to join Tongke, where teachers");
  });

  it("escapes metadata in the HTML; the text version shows it as written", () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const { html, text } = composeInviteMail(template, { ...input, data: { display_name: evil, school_name: "A&B 'school'" } });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("A&amp;B &#39;school&#39;");
    expect(text).toContain(`${evil}，您好！`);
    expect(text).toContain("A&B 'school'");
  });

  it("hashes the address and the secret as GoTrue does (hex SHA-224)", () => {
    expect(generateTokenHash("a@b.test", "123456")).toBe("5196d8d2ed34e79fc759c2fed593feb9c3dd01a16e371b0e7f189a63");
  });
});

describe("isRedirectUrlValid (GoTrue's, without an allow list)", () => {
  const site = "http://localhost:3000";
  it("accepts the site itself and loopback addresses", () => {
    expect(isRedirectUrlValid(site, "http://localhost:3000/schools/1?x=1")).toBe(true);
    expect(isRedirectUrlValid(site, "http://localhost:5173/")).toBe(true);
    expect(isRedirectUrlValid(site, "http://127.0.0.1:4000/x")).toBe(true);
    expect(isRedirectUrlValid("https://tongke.example", "https://tongke.example/welcome")).toBe(true);
  });
  it("refuses other hosts, schemes, ports and malformed values", () => {
    expect(isRedirectUrlValid("https://tongke.example", "https://evil.example/")).toBe(false);
    expect(isRedirectUrlValid("https://tongke.example", "http://tongke.example/")).toBe(false);
    expect(isRedirectUrlValid("https://tongke.example", "https://tongke.example:8443/")).toBe(false);
    expect(isRedirectUrlValid("https://tongke.example", "https://tongke.example.evil.example/")).toBe(false);
    expect(isRedirectUrlValid(site, "javascript:alert(1)")).toBe(false);
    expect(isRedirectUrlValid(site, "/relative")).toBe(false);
    expect(isRedirectUrlValid(site, "\thttp://localhost:3000/")).toBe(false);
    expect(isRedirectUrlValid(site, "")).toBe(false);
  });
});
