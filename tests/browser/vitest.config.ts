import { defineConfig } from "vitest/config";

// Browser journeys in Debian's Chromium against the built Worker under `wrangler dev`.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    globalSetup: ["tests/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
