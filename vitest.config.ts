import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against the real Worker (build/server must exist: `npm run build`),
// with real D1, R2 and Durable Objects. Storage is isolated per test file.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        // Pages are not edge-cached in tests (tests/workers/public-page-cache.test.ts turns it on):
        // one test's anonymous page must not answer the next one's.
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, PUBLIC_PAGE_CACHE_SECONDS: "0" } },
      }),
    ],
    resolve: {
      alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
    },
    test: {
      include: ["tests/workers/**/*.test.ts"],
      setupFiles: ["./tests/workers/setup.ts"],
      // Some tests render the whole seed curriculum or hash passwords a dozen times.
      testTimeout: 30_000,
      // With the on-disk module cache, every test file after the first receives the whole
      // Worker's transformed module graph in one message, which outgrows workerd's WebSocket
      // message limit once the Remix build passes half a megabyte.
      fsModuleCache: false,
      deps: {
        optimizer: {
          ssr: { enabled: true, include: ["@remix-run/cloudflare", "stripe"] },
        },
      },
    },
  };
});
