import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalKeys } from "../../app/auth/keys.server";
import { isSafeImageSrc } from "../../app/lesson-plans/safety";
import { action } from "../../app/routes/lesson-plans.$planId.images";
import { loader } from "../../app/routes/lesson-plans.$planId.images_.$name";
import { createEmbeddedStorageRouter } from "../../embedded/storage/router.server";
import { createAuthServers } from "../support/auth-server";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import type { PairingPersona } from "../support/pairing-world";
import { createPlanImageWorld, type PlanImageWorld } from "../support/plan-image-world";
import { routeContext, sessionCookieFor } from "../support/route-session";

/**
 * The two resource routes called as Remix calls them (no build needed), with a session in
 * @supabase/ssr's cookies, against the embedded Auth and Storage APIs.
 */
const JWT_SECRET = "tongke-plan-image-routes-test-secret-0123456789abcdef";
const GIF = Buffer.from("GIF89a");

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let baseUrl: string;
let dataDir: string;
const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  fs.mkdirSync(".tmp", { recursive: true });
  dataDir = fs.mkdtempSync(path.resolve(".tmp", "plan-images-"));
  baseUrl = await authServers.serve({}, (app) =>
    app.use("/storage/v1", createEmbeddedStorageRouter({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys, dataDir })),
  );
});

afterAll(async () => {
  await authServers.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const context = () =>
  routeContext({ handle: database.handle, auth: { url: baseUrl, jwtSecret: JWT_SECRET, ...keys }, env: { DATA_DIR: dataDir } });

const sessionCookie = (w: PlanImageWorld, persona: PairingPersona) =>
  sessionCookieFor(database.handle, { url: baseUrl, anonKey: keys.anonKey }, w.users[persona]);

async function upload(planId: string, cookie: string, file: Blob | null, options: { name?: string; language?: string } = {}) {
  const form = new FormData();
  if (file) form.append("file", file, options.name ?? "picture.png");
  const request = new Request(`http://app.test/lesson-plans/${planId}/images`, {
    method: "POST",
    body: form,
    headers: { cookie, "accept-language": options.language ?? "zh-CN" },
  });
  const response = (await action({ request, context: context(), params: { planId } })) as Response;
  return { status: response.status, body: (await response.json()) as { src?: string; error?: string } };
}

async function view(planId: string, name: string, cookie: string): Promise<Response> {
  const request = new Request(`http://app.test/lesson-plans/${planId}/images/${name}`, { headers: { cookie } });
  try {
    return (await loader({ request, context: context(), params: { planId, name } })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe(`lesson-plan image routes (${testDbTarget})`, () => {
  it("an editor adds an image, named by its content; readers see it, cached for good; others get 404", async () => {
    const w = await createPlanImageWorld(database.handle);
    const bytes = Buffer.concat([GIF, randomBytes(500)]);
    // The browser's name and type are ignored: the bytes say GIF.
    const added = await upload(w.planId, await sessionCookie(w, "teacherA"), new Blob([bytes], { type: "application/octet-stream" }));
    expect(added).toEqual({
      status: 201,
      body: { src: expect.stringMatching(new RegExp(`^/lesson-plans/${w.planId}/images/[0-9a-f-]{36}\\.gif$`)) },
    });
    // The plan's schema gate and renderers take exactly the src the upload answers.
    expect(isSafeImageSrc(added.body.src)).toBe(true);
    const name = added.body.src!.split("/").pop()!;

    const seen = await view(w.planId, name, await sessionCookie(w, "coordinatorY"));
    expect(seen.status).toBe(200);
    expect(Object.fromEntries(["content-type", "cache-control", "x-content-type-options"].map((h) => [h, seen.headers.get(h)]))).toEqual({
      "content-type": "image/gif",
      "cache-control": "private, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    expect(Buffer.from(await seen.arrayBuffer())).toEqual(bytes);

    const stranger = await sessionCookie(w, "stranger");
    expect((await view(w.planId, name, stranger)).status).toBe(404);
    expect((await view(w.planId, `${randomUUID()}.gif`, await sessionCookie(w, "teacherA"))).status).toBe(404);
    expect((await view(w.planId, "../../secret.gif", stranger)).status).toBe(404);
    expect((await view("not-a-plan", name, stranger)).status).toBe(404);
  });

  it("refuses readers, oversized files and anything but the four image types, in the reader's language", async () => {
    const w = await createPlanImageWorld(database.handle);
    const editor = await sessionCookie(w, "teacherB");
    const png = (size: number) =>
      new Blob([Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8)])], {
        type: "image/png",
      });

    expect(await upload(w.planId, await sessionCookie(w, "adminA"), png(100))).toEqual({
      status: 403,
      body: { error: "您不能在这份教案中插入图片。" },
    });
    expect(await upload(w.planId, editor, png(5 * 1024 * 1024 + 1), { language: "en" })).toEqual({
      status: 413,
      body: { error: "The image is too large (the limit is 5 MB)." },
    });
    const html = new Blob(["<!doctype html><script>alert(1)</script>"], { type: "image/png" });
    expect(await upload(w.planId, editor, html, { language: "en" })).toEqual({
      status: 400,
      body: { error: "Only PNG, JPEG, GIF and WebP images can be added." },
    });
    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: "image/svg+xml" });
    expect((await upload(w.planId, editor, svg, { name: "x.svg" })).status).toBe(400);
    expect(await upload(w.planId, editor, null, { language: "bo" })).toEqual({
      status: 400,
      body: { error: "ཡར་འཇུག་བྱེད་རྒྱུའི་པར་རིས་ཤིག་འདེམས་རོགས།" },
    });
    const rows = await database.handle.query(`select name from storage.objects where name like $1`, [`${w.planId}/%`]);
    expect(rows).toEqual([]);

    expect((await upload(w.planId, editor, png(5 * 1024 * 1024))).status).toBe(201);
  });
});
