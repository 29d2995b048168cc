// Size of the Worker exactly as `wrangler deploy` would upload it: a dry-run bundle into a
// temporary directory, measured there and deleted. Needs a current `npm run build` (the Worker
// imports build/server) and no network.
//
//   node scripts/bench/worker-bundle.ts            -> {"bytes":…,"gzipBytes":…}
//   node scripts/bench/worker-bundle.ts --build    -> builds first
//   node scripts/bench/worker-bundle.ts --top 20   -> also the 20 largest packages
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type WorkerBundleSize = {
  /** Uncompressed bytes of the uploaded modules; wrangler's "Total Upload" before the slash. */
  bytes: number;
  /** Wrangler's "gzip:" figure, the one Cloudflare's size limit applies to. */
  gzipBytes: number;
  /** Bytes each package (or ./worker, ./db, ./build/server for our own code) leaves in the bundle. */
  topPackages: Array<{ name: string; bytes: number }>;
};

export type MeasureOptions = {
  /** Run `npm run build` first (default false: measure the build that is there). */
  build?: boolean;
  /** How many packages to list in topPackages (default 15). */
  top?: number;
};

type Metafile = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };

function packageOf(input: string): string {
  const parts = input.split("node_modules/");
  if (parts.length > 1) {
    // The innermost node_modules: a nested copy counts under its own name, like npm ls shows it.
    const [scopeOrName = "", name = ""] = parts[parts.length - 1]!.split("/");
    return scopeOrName.startsWith("@") ? `${scopeOrName}/${name}` : scopeOrName;
  }
  const [first = input, second] = input.split("/");
  return first === "build" && second ? `./build/${second}` : `./${first}`;
}

export async function measureWorkerBundle(options: MeasureOptions = {}): Promise<WorkerBundleSize> {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  if (options.build) {
    await run("npm", ["run", "build"], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  }

  const dir = await mkdtemp(join(tmpdir(), "worker-bundle-"));
  try {
    const outdir = join(dir, "out");
    const metafile = join(dir, "meta.json");
    // --no: never let npx download a wrangler; the project's own one is the one that deploys.
    const args = ["--no", "wrangler", "deploy", "--dry-run", "--outdir", outdir, "--metafile", metafile];
    try {
      await run("npx", args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stderr = "", stdout = "" } = error as { stderr?: string; stdout?: string };
      throw new Error(`wrangler deploy --dry-run failed:\n${stderr || stdout}`, { cause: error });
    }

    // The outdir holds the modules wrangler uploads plus their source maps and a README.
    // Wrangler gzips the modules concatenated (main module first) at zlib's default level,
    // so this reproduces its "Total Upload … / gzip: …" numbers byte for byte.
    const files = (await readdir(outdir)).filter((file) => !file.endsWith(".map") && file !== "README.md");
    files.sort((a, b) => (a === "index.js" ? -1 : b === "index.js" ? 1 : a.localeCompare(b)));
    const modules = await Promise.all(files.map((file) => readFile(join(outdir, file))));
    const all = Buffer.concat(modules);

    const meta = JSON.parse(await readFile(metafile, "utf8")) as Metafile;
    const perPackage = new Map<string, number>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const name = packageOf(input);
        perPackage.set(name, (perPackage.get(name) ?? 0) + bytesInOutput);
      }
    }
    const topPackages = [...perPackage]
      .map(([name, bytes]) => ({ name, bytes }))
      .filter((entry) => entry.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, options.top ?? 15);

    return { bytes: all.byteLength, gzipBytes: gzipSync(all).byteLength, topPackages };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf("--top");
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 0;
  const size = await measureWorkerBundle({ build: args.includes("--build"), top: top || undefined });
  const report = top ? size : { bytes: size.bytes, gzipBytes: size.gzipBytes };
  console.log(JSON.stringify(report, null, top ? 2 : undefined));
}
