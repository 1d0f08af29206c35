import http from "node:http";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectOversizedBodies, requestForRemix } from "./body-limit.server";

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(rejectOversizedBodies({ maxBytes: 1024 * 1024 }));
  // Reads the body as the Remix adapter does: from requestForRemix, never from req itself.
  app.all("*", (req, res) => {
    const body = requestForRemix(req);
    let bytes = 0;
    body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    body.on("end", () => res.json({ passed: true, bytes, url: body.originalUrl, method: body.method }));
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const MiB = 1024 * 1024;
const post = (path: string, size: number) =>
  fetch(`${base}${path}`, { method: "POST", body: new Uint8Array(size), headers: { accept: "application/json" } });
const planImages = "/lesson-plans/3f1c2b9e-8a55-4c8e-9d1a-2b7e6f0c4d11/images";

describe("rejectOversizedBodies", () => {
  it("keeps the 1 MiB default everywhere else", async () => {
    expect((await post("/pairings/new", MiB)).status).toBe(200);
    const refused = await post("/pairings/new", MiB + 1);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: "payload_too_large" });
    expect((await post(`${planImages}/other`, 2 * MiB)).status).toBe(413);
  });

  it("lets a lesson-plan image of 5 MiB and its multipart envelope through, and nothing bigger", async () => {
    expect((await post(planImages, 5 * MiB + 16 * 1024)).status).toBe(200);
    expect((await post(`${planImages}.data`, 5 * MiB)).status).toBe(200);
    expect((await post(planImages, 5 * MiB + 16 * 1024 + 1)).status).toBe(413);
  });

  it("counts a chunked body as it arrives: passed on whole up to the limit, refused once past it", async () => {
    const chunked = (size: number) =>
      fetch(`${base}/pairings/new?x=1`, {
        method: "POST",
        body: Readable.toWeb(Readable.from(chunksOf(size))) as ReadableStream,
        duplex: "half",
        headers: { accept: "application/json" },
      } as RequestInit);
    const whole = await chunked(MiB);
    expect(await whole.json()).toEqual({ passed: true, bytes: MiB, url: "/pairings/new?x=1", method: "POST" });
    const refused = await chunked(MiB + 1);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: "payload_too_large" });
  });
});

function* chunksOf(size: number) {
  const chunk = Buffer.alloc(64 * 1024, 120);
  for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}
