import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Where system work (the service role) may be reached from, besides app/server/. */
const SYSTEM_WORK = [
  "app/db/**",
  "app/collab/extensions/persistence.server.ts",
  "app/live/rooms.server.ts",
  "app/live/calendar-feed.server.ts",
];
const SERVICE_ROLE_ONLY_FOR_SYSTEM_WORK = {
  group: ["~/db/system.server", "**/db/system.server", "~/db/migrate.server", "**/db/migrate.server"],
  message: "User requests go through withUserTransaction; the service role is for system work only.",
};
const EMBEDDED_ONLY_FROM_SERVER = {
  group: ["**/embedded/**"],
  message: "Only app/server mounts the embedded Supabase services (embedded/).",
};

export default tseslint.config(
  {
    ignores: [
      "build/",
      "public/build/",
      "public/sw.js",
      "public/offline/",
      ".cache/",
      ".data/",
      "node_modules/",
      "test-results/",
      "playwright-report/",
      ".tmp/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs,cjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error", "log"] }],
    },
  },
  {
    // System work (service role) is reachable only from the server's start-up and jobs: every
    // folder of app/ is held to it, except the database layer itself, the server's start-up, and
    // the three jobs no user session stands behind (the collaboration server storing documents,
    // LiveKit's webhooks and room service, a calendar feed opened by its secret URL).
    // And app/ is the product: the embedded Supabase services (embedded/) stand in for Supabase
    // on one machine, and only the server's start-up (app/server/) mounts them.
    files: ["app/**"],
    ignores: ["app/server/**", ...SYSTEM_WORK],
    rules: { "no-restricted-imports": ["error", { patterns: [SERVICE_ROLE_ONLY_FOR_SYSTEM_WORK, EMBEDDED_ONLY_FROM_SERVER] }] },
  },
  {
    files: SYSTEM_WORK,
    rules: { "no-restricted-imports": ["error", { patterns: [EMBEDDED_ONLY_FROM_SERVER] }] },
  },
  {
    // Settings are read and validated in one place; everything else takes them from there.
    files: ["app/**", "embedded/**", "server.ts"],
    ignores: ["app/config.server.ts", "app/**/*.test.{ts,tsx}", "embedded/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read settings through app/config.server.ts (the parsed Env, or appRoot/cookieSecrets).",
        },
      ],
    },
  },
  {
    files: ["**/*.cjs", "remix.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
