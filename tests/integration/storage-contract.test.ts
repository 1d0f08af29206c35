import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import bcrypt from "bcryptjs";
import { SignJWT } from "jose";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { signJwt } from "../../embedded/auth/tokens.server";
import { createLocalKeys } from "../../app/auth/keys.server";
import { createEmbeddedStorageRouter } from "../../embedded/storage/router.server";
import { createAuthServers } from "../support/auth-server";
import { testDbTarget } from "../support/database";
import { setupTestDatabase } from "../support/db-suite";
import { createPlanImageWorld, type PlanImageWorld } from "../support/plan-image-world";
import type { PairingPersona } from "../support/pairing-world";

const JWT_SECRET = "tongke-storage-contract-test-secret-0123456789abcdef";
const PASSWORD = "images in plans 同课";
const BUCKET = "lesson-plan-images";
const LIMIT = 5 * 1024 * 1024;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const png = (size = 256) => Buffer.concat([PNG, randomBytes(size - PNG.length)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");

const database = setupTestDatabase();
let keys: { anonKey: string; serviceRoleKey: string };
let baseUrl: string;
let dataDir: string;
const unexpected: unknown[] = [];

const authServers = createAuthServers(() => ({ handle: database.handle, jwtSecret: JWT_SECRET, ...keys }));

beforeAll(async () => {
  keys = await createLocalKeys(JWT_SECRET);
  fs.mkdirSync(".tmp", { recursive: true });
  dataDir = fs.mkdtempSync(path.resolve(".tmp", "storage-"));
  // As the app mounts it: beside /auth/v1, on a database that may still be opening.
  baseUrl = await authServers.serve({}, (app) =>
    app.use(
      "/storage/v1",
      createEmbeddedStorageRouter({
        handle: () => Promise.resolve(database.handle),
        jwtSecret: JWT_SECRET,
        ...keys,
        dataDir,
        onUnexpectedError: (error) => unexpected.push(error),
      }),
    ),
  );
});

afterAll(async () => {
  await authServers.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
});

const clientOptions = { realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } };

/** supabase-js for a persona with an access token as the embedded Auth would issue it; anonymous without. */
async function clientFor(w: PlanImageWorld, persona: PairingPersona | "anonymous"): Promise<SupabaseClient> {
  if (persona === "anonymous") {
    return createClient(baseUrl, keys.anonKey, { ...clientOptions, auth: { persistSession: false, autoRefreshToken: false } });
  }
  const token = await tokenFor(w, persona);
  return createClient(baseUrl, keys.anonKey, { ...clientOptions, accessToken: async () => token });
}

/** teacherA signed in through the embedded Auth API with a password, as the app's session would be. */
async function signedInLead(w: PlanImageWorld): Promise<SupabaseClient> {
  await database.handle.query(`update auth.users set encrypted_password = $2 where id = $1`, [
    w.users.teacherA.id,
    await bcrypt.hash(PASSWORD, 4),
  ]);
  const supabase = createClient(baseUrl, keys.anonKey, {
    ...clientOptions,
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { error } = await supabase.auth.signInWithPassword({ email: w.users.teacherA.email, password: PASSWORD });
  expect(error).toBeNull();
  return supabase;
}

const fileOf = (name: string) => path.join(dataDir, "storage", BUCKET, ...name.split("/"));

/** The plan's objects as rows and as files, and anything left in the staging folder. */
async function stored(planId: string) {
  const rows = await database.handle.query<{ name: string }>(
    `select name from storage.objects where bucket_id = $1 and name like $2 order by name`,
    [BUCKET, `${planId}/%`],
  );
  const folder = path.join(dataDir, "storage", BUCKET, planId);
  const files = fs.existsSync(folder)
    ? fs
        .readdirSync(folder)
        .map((f) => `${planId}/${f}`)
        .sort()
    : [];
  const stagingDir = path.join(dataDir, "storage-uploads");
  const staging = fs.existsSync(stagingDir) ? fs.readdirSync(stagingDir) : [];
  return { rows: rows.map((r) => r.name), files, staging };
}

const nothingStored = { rows: [], files: [], staging: [] };

/** A request exactly as written: fetch would resolve "..", a raw request does not. */
function rawRequest(method: string, rawPath: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = http.request(`${baseUrl}${rawPath}`, { method, headers, path: rawPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe(`embedded Supabase Storage with the real supabase-js client (${testDbTarget})`, () => {
  it("an editor uploads an image (as a browser would send it) and downloads the same bytes", async () => {
    const w = await createPlanImageWorld(database.handle);
    const supabase = await signedInLead(w);
    const name = `${w.planId}/${randomUUID()}.png`;
    const bytes = png(4096);

    const { data, error } = await supabase.storage.from(BUCKET).upload(name, new Blob([bytes], { type: "image/png" }));
    expect(error).toBeNull();
    expect(data).toEqual({ path: name, fullPath: `${BUCKET}/${name}`, id: expect.any(String) });

    const [row] = await database.handle.query<{ id: string; owner: string; owner_id: string; metadata: Record<string, unknown> }>(
      `select id, owner, owner_id, metadata from storage.objects where bucket_id = $1 and name = $2`,
      [BUCKET, name],
    );
    expect(row).toMatchObject({ id: data!.id, owner: w.users.teacherA.id, owner_id: w.users.teacherA.id });
    expect(row.metadata).toMatchObject({ mimetype: "image/png", size: bytes.length, cacheControl: "max-age=3600" });
    expect(fs.readFileSync(fileOf(name))).toEqual(bytes);

    const download = await supabase.storage.from(BUCKET).download(name);
    expect(download.error).toBeNull();
    expect(download.data!.type).toBe("image/png");
    expect(Buffer.from(await download.data!.arrayBuffer())).toEqual(bytes);
    expect(await stored(w.planId)).toEqual({ rows: [name], files: [name], staging: [] });
  });

  it("a co-author uploads raw bytes (a Buffer, as the app server sends them) and every reader downloads them", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = `${w.planId}/${randomUUID()}.jpg`;
    const bytes = Buffer.concat([JPEG, randomBytes(1000)]);
    const upload = await (
      await clientFor(w, "teacherB")
    ).storage
      .from(BUCKET)
      .upload(name, bytes, { contentType: "image/jpeg", cacheControl: "31536000" });
    expect(upload.error).toBeNull();

    for (const persona of ["teacherA", "adminA", "adminB", "coordinatorX", "coordinatorY", "platformAdmin"] as const) {
      const { data, error } = await (await clientFor(w, persona)).storage.from(BUCKET).download(name);
      expect({ persona, error }).toEqual({ persona, error: null });
      expect(Buffer.from(await data!.arrayBuffer())).toEqual(bytes);
    }
    const response = await fetch(`${baseUrl}/storage/v1/object/authenticated/${BUCKET}/${name}`, {
      headers: { apikey: keys.anonKey, authorization: `Bearer ${await tokenFor(w, "adminB")}` },
    });
    expect(response.status).toBe(200);
    const headers = ["content-type", "content-length", "cache-control", "content-security-policy", "x-content-type-options"];
    expect(Object.fromEntries(headers.map((h) => [h, response.headers.get(h)]))).toEqual({
      "content-type": "image/jpeg",
      "content-length": String(bytes.length),
      "cache-control": "max-age=31536000",
      "content-security-policy": "default-src 'none'; sandbox",
      "x-content-type-options": "nosniff",
    });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("a reader downloads but cannot upload; the refusal is Storage's row-level security error", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = `${w.planId}/${randomUUID()}.png`;
    const reader = await clientFor(w, "adminA");
    const { data, error } = await reader.storage.from(BUCKET).upload(name, png(), { contentType: "image/png" });
    expect(data).toBeNull();
    expect(error).toMatchObject({
      name: "StorageApiError",
      status: 400,
      statusCode: "403",
      message: "new row violates row-level security policy",
    });
    expect(await stored(w.planId)).toEqual(nothingStored);

    const raw = await fetch(`${baseUrl}/storage/v1/object/${BUCKET}/${name}`, {
      method: "POST",
      headers: { apikey: keys.anonKey, authorization: `Bearer ${await tokenFor(w, "adminA")}`, "content-type": "image/png" },
      body: png(),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      statusCode: "403",
      code: "AccessDenied",
      error: "Unauthorized",
      message: "new row violates row-level security policy",
    });
  });

  it("a stranger, a teacher of an unpaired school and anonymous can neither upload nor download, and learn nothing", async () => {
    const w = await createPlanImageWorld(database.handle);
    const existing = `${w.planId}/${randomUUID()}.png`;
    expect(
      (await (await clientFor(w, "teacherA")).storage.from(BUCKET).upload(existing, png(), { contentType: "image/png" })).error,
    ).toBeNull();
    const missing = `${w.planId}/${randomUUID()}.png`;

    for (const persona of ["stranger", "teacherC", "coordinatorZ", "anonymous"] as const) {
      const storage = (await clientFor(w, persona)).storage.from(BUCKET);
      const upload = await storage.upload(`${w.planId}/${randomUUID()}.png`, png(), { contentType: "image/png" });
      expect({ persona, error: upload.error }).toMatchObject({ persona, error: { status: 400, statusCode: "403" } });
      // The same answer for an image that exists and one that does not.
      const [seen, unseen] = await Promise.all([storage.download(existing), storage.download(missing)]);
      expect({ persona, seen: seen.error?.toJSON() }).toEqual({ persona, seen: unseen.error?.toJSON() });
      expect(seen.error).toMatchObject({ status: 400, statusCode: "404", message: "Object not found" });
    }
    expect(await stored(w.planId)).toEqual({ rows: [existing], files: [existing], staging: [] });
  });

  it("refuses a file over the bucket's 5 MiB, sent either way, and keeps nothing", async () => {
    const w = await createPlanImageWorld(database.handle);
    const storage = (await clientFor(w, "teacherA")).storage.from(BUCKET);
    const tooLarge = png(LIMIT + 1);
    const asBlob = await storage.upload(`${w.planId}/${randomUUID()}.png`, new Blob([tooLarge], { type: "image/png" }));
    const asBuffer = await storage.upload(`${w.planId}/${randomUUID()}.png`, tooLarge, { contentType: "image/png" });
    for (const { error } of [asBlob, asBuffer]) {
      expect(error).toMatchObject({ status: 400, statusCode: "413", message: "The object exceeded the maximum allowed size" });
    }
    expect(await stored(w.planId)).toEqual(nothingStored);

    const exactly = await storage.upload(`${w.planId}/${randomUUID()}.png`, png(LIMIT), { contentType: "image/png" });
    expect(exactly.error).toBeNull();
  });

  it("refuses types the bucket does not take, and content that is not what its type says", async () => {
    const w = await createPlanImageWorld(database.handle);
    const storage = (await clientFor(w, "teacherA")).storage.from(BUCKET);
    const attempts = [
      { body: SVG, type: "image/svg+xml", message: "mime type image/svg+xml is not supported" },
      { body: HTML, type: "text/html", message: "mime type text/html is not supported" },
      { body: HTML, type: "image/png", message: "mime type image/png does not match the file's content" },
      { body: SVG, type: "image/png", message: "mime type image/png does not match the file's content" },
      { body: Buffer.concat([JPEG, randomBytes(64)]), type: "image/png", message: "mime type image/png does not match the file's content" },
    ];
    for (const { body, type, message } of attempts) {
      const asBlob = await storage.upload(`${w.planId}/${randomUUID()}.png`, new Blob([body], { type }));
      const asBuffer = await storage.upload(`${w.planId}/${randomUUID()}.png`, body, { contentType: type });
      for (const { error } of [asBlob, asBuffer]) {
        expect({ type, error: error?.toJSON() }).toEqual({
          type,
          error: { name: "StorageApiError", status: 400, statusCode: "415", message },
        });
      }
    }
    expect(await stored(w.planId)).toEqual(nothingStored);
  });

  it("refuses keys that would leave the bucket's folder, and writes nothing anywhere", async () => {
    const w = await createPlanImageWorld(database.handle);
    const headers = {
      apikey: keys.anonKey,
      authorization: `Bearer ${await tokenFor(w, "teacherA")}`,
      "content-type": "image/png",
    };
    const before = listTree(dataDir);
    for (const key of [
      `${w.planId}/../../../escape.png`,
      `${w.planId}/..%2F..%2F..%2Fescape.png`,
      `${w.planId}/%2e%2e/%2e%2e/escape.png`,
      `${w.planId}/./x.png`,
      `${w.planId}//x.png`,
      `${w.planId}/x%00.png`,
      `${w.planId}/x%5C..%5C..%5Cescape.png`,
    ]) {
      const response = await rawRequest("POST", `/storage/v1/object/${BUCKET}/${key}`, headers, png());
      expect({ key, status: response.status, body: response.body }).toEqual({
        key,
        status: 400,
        body: { statusCode: "400", code: "InvalidKey", error: "InvalidKey", message: expect.stringMatching(/^Invalid key: /) },
      });
    }
    const bucket = await rawRequest("POST", `/storage/v1/object/..%2F..%2Fetc/x.png`, headers, png());
    expect(bucket).toMatchObject({ status: 400, body: { statusCode: "400", code: "InvalidBucketName" } });
    expect(listTree(dataDir)).toEqual(before);
    expect(fs.existsSync(path.join(dataDir, "escape.png"))).toBe(false);
    expect(await stored(w.planId)).toEqual(nothingStored);
  });

  it("keeps a name's first image: a second upload to it is a duplicate, an upsert is refused by the policies", async () => {
    const w = await createPlanImageWorld(database.handle);
    const storage = (await clientFor(w, "teacherA")).storage.from(BUCKET);
    const name = `${w.planId}/${randomUUID()}.png`;
    const first = png();
    expect((await storage.upload(name, first, { contentType: "image/png" })).error).toBeNull();

    const again = await storage.upload(name, png(), { contentType: "image/png" });
    expect(again.error).toMatchObject({ status: 400, statusCode: "409", message: "The resource already exists" });
    const upsert = await storage.upload(name, png(), { contentType: "image/png", upsert: true });
    expect(upsert.error).toMatchObject({ status: 400, statusCode: "403" });
    expect(fs.readFileSync(fileOf(name))).toEqual(first);
    expect(await stored(w.planId)).toEqual({ rows: [name], files: [name], staging: [] });
  });

  it("records no row when the file cannot be put in place", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = `${w.planId}/${randomUUID()}.png`;
    fs.mkdirSync(fileOf(name), { recursive: true });
    const { error } = await (await clientFor(w, "teacherA")).storage.from(BUCKET).upload(name, png(), { contentType: "image/png" });
    expect(error).toMatchObject({ status: 400, statusCode: "409" });
    expect((await stored(w.planId)).rows).toEqual([]);
    fs.rmdirSync(fileOf(name));
  });

  it("answers like Supabase's gateway and Storage for missing keys, foreign tokens and unknown buckets", async () => {
    const w = await createPlanImageWorld(database.handle);
    const name = `${w.planId}/${randomUUID()}.png`;
    const noKey = await fetch(`${baseUrl}/storage/v1/object/${BUCKET}/${name}`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ message: "No API key found in request" });

    const foreign = await new SignJWT({ ...w.users.teacherA.claims })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode("another-project-secret-with-32-characters!"));
    const response = await fetch(`${baseUrl}/storage/v1/object/${BUCKET}/${name}`, {
      headers: { apikey: keys.anonKey, authorization: `Bearer ${foreign}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ statusCode: "403", code: "AccessDenied", error: "Unauthorized", message: "invalid signature" });

    const serviceRole = createClient(baseUrl, keys.serviceRoleKey, clientOptions);
    expect((await serviceRole.storage.from(BUCKET).download(name)).error).toMatchObject({ statusCode: "403" });

    const unknown = await (
      await clientFor(w, "teacherA")
    ).storage
      .from(`no-such-bucket-${randomUUID().slice(0, 8)}`)
      .upload("x.png", png(), { contentType: "image/png" });
    expect(unknown.error).toMatchObject({ status: 400, statusCode: "404", message: "Bucket not found" });
  });
});

/** An access token with the claims the embedded Auth puts in one, signed with the project's secret. */
async function tokenFor(w: PlanImageWorld, persona: PairingPersona) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ ...w.users[persona].claims, iss: `${baseUrl}/auth/v1`, iat: now, exp: now + 600 }, JWT_SECRET);
}

function listTree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}
