import path from "node:path";
import { describe, expect, it } from "vitest";
import { templateFileName } from "../../scripts/prepare-pglite.mjs";
import { templatePath } from "./pglite-template.server";

describe("PGlite template", () => {
  it("postinstall writes the file the server reads", () => {
    expect(path.basename(templatePath())).toBe(templateFileName());
  });
});
