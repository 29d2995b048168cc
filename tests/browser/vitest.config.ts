import { defineConfig } from "vitest/config";

// Browser journeys in Debian's Chromium against the built Worker under `wrangler dev`.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    globalSetup: ["tests/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A real browser against a real server: a journey that fails twice in a row is a real failure.
    retry: 1,
  },
});
