import { describe, expect, it } from "vitest";
import { escapeHtml } from "./html";

describe("escapeHtml", () => {
  it("escapes what could open a tag, an entity or close a quoted attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
  });

  it("leaves other text alone, Chinese and Tibetan included", () => {
    expect(escapeHtml("同课 བོད་ཡིག plain")).toBe("同课 བོད་ཡིག plain");
  });

  it("escapes an ampersand once, so existing entities show as typed", () => {
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});
