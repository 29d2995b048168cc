import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";

const SHARED_SOURCE = ["db", "worker"].map((dir) => fileURLToPath(new URL(`./${dir}/`, import.meta.url)));
const isShared = (id: string) => SHARED_SOURCE.some((dir) => id.startsWith(dir));

/**
 * Leaves db/ and worker/ modules as imports in the server build instead of copying them in.
 * The Worker imports them too, so wrangler bundles them once: without this the Worker carries
 * two copies of every query, the schema and the markdown pipeline (~150 KB minified), and two
 * instances of their module state (the markdown processor, error classes seen by `instanceof`).
 */
function sharedSourceExternal(): Plugin {
  return {
    name: "shared-source-external",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!options.ssr || !importer || !source.startsWith(".")) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !isShared(resolved.id)) return null;
      return { id: resolved.id, external: true };
    },
    // Rollup would write these imports relative to the common root of its inputs, which for
    // Remix's virtual server entry is "/": point them from the output folder to the source.
    outputOptions(output) {
      const outDir = output.dir;
      if (!outDir) return null;
      return {
        ...output,
        paths: (id: string) => (isShared(id) ? relative(outDir, id) : id),
      };
    },
  };
}

// The full stack (Durable Objects, /api) only runs under `wrangler dev` on this build,
// so there is no Vite dev server integration here: `npm start` builds and serves the Worker.
export default defineConfig({
  plugins: [
    tailwindcss(),
    sharedSourceExternal(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
  ],
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  ssr: {
    resolve: { conditions: ["workerd", "worker", "browser"] },
  },
  build: { minify: true },
});
