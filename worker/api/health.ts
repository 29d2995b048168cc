import { sql } from "drizzle-orm";
import { Hono } from "hono";
import packageJson from "../../package.json";
import type { AppEnv } from "../types.ts";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  const { db, log } = c.var.services;
  const started = performance.now();
  let reachable = true;
  try {
    await db.run(sql`select 1`);
  } catch (error) {
    reachable = false;
    log.error("health check: D1 unreachable", { error });
  }
  return c.json(
    {
      status: reachable ? "ok" : "degraded",
      version: packageJson.version,
      environment: c.env.APP_ENV,
      d1: { reachable, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
    },
    reachable ? 200 : 503,
    { "cache-control": "no-store" },
  );
});
