// A fresh local platform of its own for the benchmarks and the browser tests: migrated and
// seeded D1 in a state folder, then `wrangler dev` serving the built Worker on a free
// loopback port.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const QUIET_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

function run(command: string, args: string[]) {
  execFileSync(command, args, { cwd: ROOT, env: QUIET_ENV, stdio: ["ignore", "ignore", "inherit"] });
}

/** Wipes `stateDir`, applies every migration and seeds the demo content into it. */
export async function prepareState(stateDir: string) {
  await rm(stateDir, { recursive: true, force: true });
  run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  run(process.execPath, ["scripts/seed.ts", "--persist-to", stateDir]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = { baseURL: string; stop(): Promise<void> };

export type ServerOptions = {
  /** `--var NAME:value` overrides of wrangler.toml's vars. */
  vars?: Record<string, string>;
  /**
   * Bundle libraries as `wrangler deploy` does (NODE_ENV=production: React's production build,
   * not its development checks, which double the cost of a render). Tests keep the checks.
   */
  production?: boolean;
  timeoutMs?: number;
};

/** Starts `wrangler dev` on 127.0.0.1 and resolves once /api/health answers. */
export async function startServer(stateDir: string, options: ServerOptions = {}): Promise<RunningServer> {
  const { vars = {}, production = false, timeoutMs = 60_000 } = options;
  const port = await freePort();
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", stateDir];
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child: ChildProcess = spawn("npx", ["wrangler", ...args], {
    cwd: ROOT,
    env: production ? { ...QUIET_ENV, NODE_ENV: "production" } : QUIET_ENV,
    stdio: ["ignore", "ignore", "inherit"],
    // Its own process group: wrangler starts workerd as a child, and stop() ends both.
    detached: true,
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group is already gone.
    }
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal("SIGTERM");
      setTimeout(() => signal("SIGKILL"), 5_000).unref();
    }
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseURL}/api/health`);
      if (response.ok) return { baseURL, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${baseURL} within ${timeoutMs / 1000} s`);
}
