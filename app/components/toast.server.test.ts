import { describe, expect, it } from "vitest";
import { redirectWithToast, takeToast } from "./toast.server";

/** The browser's side: the cookie a response set, sent back with the next request. */
const next = (response: Response, url = "http://localhost/") => {
  const cookie = response.headers.get("set-cookie")!.split(";")[0];
  return new Request(url, { headers: { cookie } });
};

describe("toasts", () => {
  it("travel with the redirect, are read once on the next page, and keep the action's own cookies", async () => {
    const headers = new Headers({ "set-cookie": "sb-session=abc; Path=/" });
    const response = await redirectWithToast("/live/1", { key: "live:session.scheduled", values: { count: 3 } }, headers);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/live/1");
    expect(response.headers.get("set-cookie")).toContain("sb-session=abc");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("tk_toast="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const { toast, clear } = await takeToast(new Request("http://localhost/live/1", { headers: { cookie: cookie.split(";")[0] } }));
    expect(toast).toEqual({ id: expect.any(String), key: "live:session.scheduled", values: { count: 3 } });
    expect(clear).toMatch(/^tk_toast=;.*Max-Age=0/i);
  });

  it("are nothing without the cookie, and nothing when the cookie is not one of ours", async () => {
    expect(await takeToast(new Request("http://localhost/"))).toEqual({ toast: null, clear: null });
    const forged = Buffer.from(JSON.stringify({ id: "x", key: "<script>" })).toString("base64");
    const { toast, clear } = await takeToast(new Request("http://localhost/", { headers: { cookie: `tk_toast=${forged}` } }));
    expect(toast).toBeNull();
    // Cleared all the same.
    expect(clear).toMatch(/Max-Age=0/i);
  });

  it("each have their own id, so the same message after a second action shows again", async () => {
    const first = await takeToast(next(await redirectWithToast("/profile", { key: "profile:profileSaved" })));
    const second = await takeToast(next(await redirectWithToast("/profile", { key: "profile:profileSaved" })));
    expect(first.toast?.id).not.toBe(second.toast?.id);
  });
});
