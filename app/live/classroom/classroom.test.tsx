import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createI18n } from "~/i18n/client";
import zh from "../../../public/locales/zh-CN/classroom.json";
import Classroom, { type ClassroomProps } from "../classroom.client";

const props = (overrides: Partial<ClassroomProps> = {}): ClassroomProps => ({
  sessionId: "5b0c3f5e-0000-4000-8000-000000000001",
  title: "三年级语文 · 同上一堂课",
  role: "receiving",
  user: { id: "u-leiwuqi", name: "类乌齐三年级" },
  mainTeacherId: "u-hechuan",
  receivingTeacherIds: ["u-leiwuqi"],
  canModerate: false,
  plan: { id: "9a1b0000-0000-4000-8000-000000000002", title: "《荷花》教案", html: "<h2>教学目标</h2><p>认识生字</p>" },
  chat: [{ id: "m1", authorId: "u-hechuan", authorName: "王老师", body: "大家好", createdAt: "2025-03-01T08:00:00.000Z" }],
  lang: "zh-CN",
  ...overrides,
});

/** The first render, before any effect: what a browser shows while the camera starts. */
function render(p: ClassroomProps) {
  const i18n = createI18n("zh-CN", { classroom: zh });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(Classroom, p)));
}

describe("Classroom (first render)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the device check, the ladder, the plan's saved version and the chat history", () => {
    const consoleError = vi.spyOn(console, "error");
    const html = render(props());
    expect(html).toContain(zh.prejoin.title);
    expect(html).toContain('data-testid="local-preview"');
    expect(html).toContain('data-camera="off"');
    expect(html).toContain(`>${zh.join.join}</button>`);
    for (const step of [zh.ladder.full, zh.ladder.teacherVideo, zh.ladder.audioOnly]) expect(html).toContain(step);
    expect(html).toMatch(/<fieldset[^>]*role="radiogroup"/);
    expect(html).toContain("<h2>教学目标</h2>");
    expect(html).toContain('href="/lesson-plans/9a1b0000-0000-4000-8000-000000000002"');
    expect(html).toContain("大家好");
    expect(html).toContain('role="log"');
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("gives observers no camera, only a microphone test", () => {
    const html = render(props({ role: "observer", receivingTeacherIds: ["u-other"] }));
    expect(html).not.toContain('data-testid="local-preview"');
    expect(html).toContain(zh.prejoin.testMic);
    expect(html).not.toContain(`>${zh.controls.camera}</button>`);
  });

  it("says so when no plan is linked, and shows the raise-hand queue to the main teacher only", () => {
    const main = render(props({ role: "main", user: { id: "u-hechuan", name: "王老师" }, canModerate: true, plan: null }));
    expect(main).toContain(zh.plan.none);
    expect(main).toContain(zh.hand.queueTitle);
    expect(render(props())).not.toContain(zh.hand.queueTitle);
  });
});
