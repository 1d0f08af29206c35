import { describe, expect, it } from "vitest";
import { loadExportImages, planImageNames } from "./images.server";

const PLAN = "11111111-2222-4333-8444-555555555555";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const src = (name: string, plan = PLAN) => `/lesson-plans/${plan}/images/${name}`;
const doc = {
  type: "doc",
  content: [
    { type: "image", attrs: { src: src("a.png") } },
    { type: "paragraph", content: [{ type: "text", text: "教材" }] },
    { type: "image", attrs: { src: src("a.png") } },
    { type: "image", attrs: { src: src("b.webp") } },
    { type: "image", attrs: { src: src("c.png", "99999999-2222-4333-8444-555555555555") } },
    { type: "image", attrs: { src: src("gone.png") } },
  ],
};

describe("export images", () => {
  it("finds the plan's own images once each, in order, and none of another plan", () => {
    expect(planImageNames(doc, PLAN)).toEqual(["a.png", "b.webp", "gone.png"]);
  });

  it("loads PNG, JPEG and GIF bytes with their size; skips what cannot be read or embedded", async () => {
    const asked: string[] = [];
    const images = await loadExportImages(PLAN, doc, async (name) => {
      asked.push(name);
      if (name === "a.png") return new Blob([PNG]);
      if (name === "b.webp") return new Blob([Buffer.from("RIFF\0\0\0\0WEBPVP8 ")]);
      return null;
    });
    expect(asked).toEqual(["a.png", "b.webp", "gone.png"]);
    expect([...images.keys()]).toEqual([src("a.png")]);
    expect(images.get(src("a.png"))).toMatchObject({ type: "png", width: 1, height: 1 });
  });
});
