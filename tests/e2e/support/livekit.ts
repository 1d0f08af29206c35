/** The LiveKit settings the browser tests' servers run with (no LiveKit server answers there). */
export const E2E_LIVEKIT = {
  LIVEKIT_URL: "ws://127.0.0.1:7880",
  LIVEKIT_API_KEY: "APIe2etests",
  LIVEKIT_API_SECRET: "e2e-livekit-secret-0123456789abcdefghij",
};
