import { Hono } from "hono";
import { searchLectures, searchQuerySchema } from "../../db/queries/search.ts";
import { clientAddress, enforceRateLimit } from "../services/rate-limit.ts";
import type { AppEnv } from "../types.ts";
import { validate } from "./validate.ts";

export const searchApi = new Hono<AppEnv>().get("/", validate("query", searchQuerySchema), async (c) => {
  const { q } = c.req.valid("query");
  await enforceRateLimit(c.env, "search", clientAddress(c.req.raw));
  const viewer = await c.var.services.auth.getUser();
  const results = await searchLectures(c.var.services.db, q, viewer);
  return c.json({ query: q, results }, 200, { "cache-control": "no-store" });
});
