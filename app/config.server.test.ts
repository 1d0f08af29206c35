import { describe, expect, it } from "vitest";
import { EnvError, appRoot, cookieSecrets, parseEnv } from "./config.server";

const production = {
  NODE_ENV: "production",
  LIVEKIT_API_KEY: "APIk3yOfTheSchool",
  LIVEKIT_API_SECRET: "a-secret-only-our-livekit-server-knows-1234",
  COOKIE_SECRET: "a-cookie-secret-of-the-school",
};
const without = (source: Record<string, string>, key: string) => Object.fromEntries(Object.entries(source).filter(([k]) => k !== key));
const parse = (source: Record<string, string>) => () => parseEnv(source as NodeJS.ProcessEnv);

describe("parseEnv", () => {
  it("uses livekit-server --dev's credentials in development when none are set", () => {
    expect(parseEnv({ NODE_ENV: "development" } as NodeJS.ProcessEnv)).toMatchObject({
      LIVEKIT_API_KEY: "devkey",
      LIVEKIT_API_SECRET: "secret",
    });
  });

  it("accepts production with the LiveKit server's own key pair", () => {
    expect(parseEnv(production as NodeJS.ProcessEnv)).toMatchObject({ LIVEKIT_API_KEY: "APIk3yOfTheSchool" });
  });

  it.each([
    ["both unset", { LIVEKIT_API_KEY: undefined, LIVEKIT_API_SECRET: undefined }],
    ["the key unset", { LIVEKIT_API_KEY: undefined }],
    ["the secret unset", { LIVEKIT_API_SECRET: undefined }],
    ["devkey", { LIVEKIT_API_KEY: "devkey" }],
    ["the dev secret", { LIVEKIT_API_SECRET: "secret" }],
    ["an empty key", { LIVEKIT_API_KEY: " " }],
    ["an empty secret", { LIVEKIT_API_SECRET: "" }],
  ])("refuses production with %s, saying what to set", (_case, change) => {
    const source = Object.fromEntries(Object.entries({ ...production, ...change }).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    expect(parse(source)).toThrow(EnvError);
    expect(parse(source)).toThrow(
      /NODE_ENV=production needs your LiveKit server's own credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET/,
    );
  });

  it("refuses production without COOKIE_SECRET, embedded or on Supabase, saying what to set; bad values are EnvErrors too", () => {
    const supabase = {
      ...production,
      SUPABASE_URL: "https://x.supabase.co",
      SUPABASE_ANON_KEY: "a".repeat(20),
      SUPABASE_SERVICE_ROLE_KEY: "s".repeat(20),
    };
    for (const source of [without(production, "COOKIE_SECRET"), without(supabase, "COOKIE_SECRET")]) {
      expect(parse(source)).toThrow(EnvError);
      expect(parse(source)).toThrow(/COOKIE_SECRET is required in production.*openssl rand -hex 32/);
    }
    expect(parse({ ...production, COOKIE_SECRET: "short" })).toThrow(/COOKIE_SECRET/);
    expect(parseEnv({ NODE_ENV: "development" } as NodeJS.ProcessEnv).COOKIE_SECRET).toBeUndefined();
    expect(parse({ ...production, PORT: "seventy" })).toThrow(EnvError);
  });

  it("refuses the development outbox in production unless the server listens on this machine alone", () => {
    for (const host of [undefined, "0.0.0.0", "::", "10.0.0.5"]) {
      const source = { ...production, TONGKE_DEV_OUTBOX: "true", ...(host ? { HOST: host } : {}) };
      expect(parse(source)).toThrow(/TONGKE_DEV_OUTBOX=true shows every mail .* unset TONGKE_DEV_OUTBOX/);
    }
    for (const host of ["127.0.0.1", "::1", "localhost"]) {
      expect(parseEnv({ ...production, TONGKE_DEV_OUTBOX: "true", HOST: host } as NodeJS.ProcessEnv).HOST).toBe(host);
    }
    expect(parseEnv({ NODE_ENV: "development", TONGKE_DEV_OUTBOX: "true" } as NodeJS.ProcessEnv).TONGKE_DEV_OUTBOX).toBe("true");
  });
});

describe("settings read outside parseEnv", () => {
  it("sizes the PostgreSQL pool from DATABASE_POOL_SIZE, 10 when unset, and refuses what is not a count", () => {
    expect(parseEnv({ NODE_ENV: "development" } as NodeJS.ProcessEnv).DATABASE_POOL_SIZE).toBe(10);
    expect(parseEnv({ NODE_ENV: "development", DATABASE_POOL_SIZE: "4" } as NodeJS.ProcessEnv).DATABASE_POOL_SIZE).toBe(4);
    expect(parse({ NODE_ENV: "development", DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(parse({ NODE_ENV: "development", DATABASE_POOL_SIZE: "many" })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it("reads the app's files under TONGKE_ROOT, else the working directory", () => {
    expect(appRoot({ TONGKE_ROOT: "/srv/tongke" })).toBe("/srv/tongke");
    expect(appRoot({})).toBe(process.cwd());
  });

  it("signs cookies with COOKIE_SECRET when it is set", () => {
    expect(cookieSecrets({ COOKIE_SECRET: "a-cookie-secret-of-the-school" })).toEqual(["a-cookie-secret-of-the-school"]);
    expect(cookieSecrets({})).toBeUndefined();
  });
});
