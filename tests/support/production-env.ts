/**
 * What a NODE_ENV=production start needs beyond the defaults: a LiveKit key pair of its own
 * (production refuses livekit-server --dev's public devkey/secret) and a COOKIE_SECRET. No
 * LiveKit server answers in these tests; tests that sign webhooks use these keys.
 */
export const PRODUCTION_TEST_SECRETS = {
  LIVEKIT_API_KEY: "APIproductiontests",
  LIVEKIT_API_SECRET: "production-tests-livekit-secret-0123456789",
  COOKIE_SECRET: "production-tests-cookie-secret-0123456789",
} as const;
