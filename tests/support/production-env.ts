/**
 * What a NODE_ENV=production start needs beyond the defaults: a LiveKit key pair of its own
 * (production refuses livekit-server --dev's public devkey/secret). No LiveKit server answers
 * in these tests; tests that sign webhooks use these keys.
 */
export const PRODUCTION_TEST_LIVEKIT = {
  LIVEKIT_API_KEY: "APIproductiontests",
  LIVEKIT_API_SECRET: "production-tests-livekit-secret-0123456789",
} as const;
