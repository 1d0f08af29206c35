import { describe, expect, it } from "vitest";
import { lessonPlanImageSrc } from "~/storage/lesson-plan-images";
import { isSafeHref, isSafeImageSrc } from "./safety";

const PLAN = "0b9c2f4e-1c1d-4a55-9f7e-2d3c4b5a6978";
const NAME = "3f1e8a2b-7c4d-4e5f-9a0b-1c2d3e4f5a6b";

describe("isSafeImageSrc", () => {
  it.each(["png", "jpg", "gif", "webp"])("takes an upload's URL as the upload route makes it (.%s)", (ext) => {
    expect(isSafeImageSrc(lessonPlanImageSrc(PLAN, `${NAME}.${ext}`))).toBe(true);
  });

  it.each([
    ["any https URL", "https://cdn.example.org/shrimp.png"],
    ["a protocol-relative URL", "//evil.example/x.png"],
    ["another path of the app", "/uploads/board.png"],
    ["a Storage object URL", `/storage/v1/object/lesson-plan-images/${PLAN}/${NAME}.png`],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:image/png;base64,iVBORw0KGgo="],
    ["a name that is not an upload's", `/lesson-plans/${PLAN}/images/board.png`],
    ["an extension uploads never have", `/lesson-plans/${PLAN}/images/${NAME}.svg`],
    ["upper case", `/lesson-plans/${PLAN.toUpperCase()}/images/${NAME}.png`],
    ["a plan id that is not a uuid", `/lesson-plans/${"-".repeat(36)}/images/${NAME}.png`],
    ["a path that climbs out", `/lesson-plans/${PLAN}/images/../../${NAME}.png`],
    ["a query string", `/lesson-plans/${PLAN}/images/${NAME}.png?x=1`],
    ["a trailing newline", `/lesson-plans/${PLAN}/images/${NAME}.png\n`],
    ["an absolute URL to the same path", `https://tongke.example/lesson-plans/${PLAN}/images/${NAME}.png`],
  ])("refuses %s", (_, src) => {
    expect(isSafeImageSrc(src)).toBe(false);
  });

  it("refuses what is not a string", () => {
    for (const src of [undefined, null, 1, {}, [lessonPlanImageSrc(PLAN, `${NAME}.png`)]]) expect(isSafeImageSrc(src)).toBe(false);
  });
});

describe("isSafeHref", () => {
  it("keeps web and mail links only", () => {
    expect(isSafeHref("https://example.org/a")).toBe(true);
    expect(isSafeHref(" mailto:a@example.org")).toBe(true);
    expect(isSafeHref("javascript:alert(1)")).toBe(false);
    expect(isSafeHref("data:text/html,x")).toBe(false);
  });
});
