import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./config.server";

const production = { NODE_ENV: "production", LIVEKIT_API_KEY: "APIk3yOfTheSchool", LIVEKIT_API_SECRET: "a-secret-only-our-livekit-server-knows-1234" };
const parse = (source: Record<string, string>) => () => parseEnv(source as NodeJS.ProcessEnv);

describe("parseEnv", () => {
  it("uses livekit-server --dev's credentials in development when none are set", () => {
    expect(parseEnv({ NODE_ENV: "development" } as NodeJS.ProcessEnv)).toMatchObject({ LIVEKIT_API_KEY: "devkey", LIVEKIT_API_SECRET: "secret" });
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
    const source = Object.fromEntries(Object.entries({ ...production, ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(parse(source)).toThrow(EnvError);
    expect(parse(source)).toThrow(/NODE_ENV=production needs your LiveKit server's own credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET/);
  });

  it("still refuses a production Supabase without COOKIE_SECRET, and bad values, as EnvError", () => {
    const supabase = { ...production, SUPABASE_URL: "https://x.supabase.co", SUPABASE_ANON_KEY: "a".repeat(20), SUPABASE_SERVICE_ROLE_KEY: "s".repeat(20) };
    expect(parse(supabase)).toThrow(new EnvError("COOKIE_SECRET is required in production"));
    expect(parse({ ...production, PORT: "seventy" })).toThrow(EnvError);
  });
});
