import { afterEach, vi } from "vitest";

// A console.error during a test is a failure unless the test replaces this spy itself.
let spy = vi.spyOn(console, "error");

afterEach(() => {
  const calls = spy.mock.calls;
  spy.mockRestore();
  spy = vi.spyOn(console, "error");
  if (calls.length > 0) {
    throw new Error(`console.error was called during the test:\n${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
