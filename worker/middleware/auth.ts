import { createMiddleware } from "hono/factory";
import { ApiError, noSuchRoute } from "../api/errors.ts";
import type { AppEnv } from "../types.ts";

/** API routes for signed-in users: 401 without a session. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await c.var.services.auth.getSession())) {
    throw new ApiError("UNAUTHORIZED", "Sign in to use this endpoint.");
  }
  return next();
});

/** API routes for admins: anyone else, signed in or not, gets the same 404 as a missing route. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const session = await c.var.services.auth.getSession();
  if (session?.user.role !== "admin") {
    throw noSuchRoute(c.req.method, c.req.url);
  }
  return next();
});
