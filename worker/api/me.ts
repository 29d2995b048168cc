import { Hono } from "hono";
import { requireUser } from "../middleware/auth.ts";
import type { AppEnv } from "../types.ts";

/** The signed-in user's own profile (401 without a session). */
export const meApi = new Hono<AppEnv>().use(requireUser).get("/", async (c) => {
  const { user } = (await c.var.services.auth.getSession())!;
  return c.json(
    { user: { id: user.id, name: user.name, email: user.email, role: user.role, emailVerified: user.emailVerified } },
    200,
    { "cache-control": "private, no-store" },
  );
});
