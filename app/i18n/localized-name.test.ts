import { describe, expect, it } from "vitest";
import { pickName } from "./localized-name";

describe("pickName", () => {
  const school = { nameZh: "类乌齐县第一小学", nameBo: "རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།", nameEn: "Leiwuqi County No. 1 Primary School" };
  it("uses the reader's language when the name exists in it", () => {
    expect(pickName(school, "bo")).toEqual({ text: school.nameBo, lang: "bo" });
    expect(pickName(school, "en")).toEqual({ text: school.nameEn, lang: "en" });
    expect(pickName(school, "zh-CN")).toEqual({ text: school.nameZh, lang: "zh-CN" });
  });
  it("falls back to the Chinese name, tagged as Chinese", () => {
    expect(pickName({ nameZh: "合川中学", nameBo: null }, "bo")).toEqual({ text: "合川中学", lang: "zh-CN" });
  });
});
