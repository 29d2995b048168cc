import { createMiddleware } from "hono/factory";
import { ApiError } from "../api/errors.ts";
import type { AppEnv } from "../types.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for every unsafe request (Remix actions, `?_data` requests, resource
 * routes and the API alike): browsers label cross-site requests with Sec-Fetch-Site and
 * Origin, so anything a browser marks as coming from another site is refused with 403.
 * Clients that send neither header (curl, server-to-server) cannot carry a victim's cookies.
 */
export const sameOriginOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();

  const fetchSite = c.req.header("sec-fetch-site");
  const origin = c.req.header("origin");
  const sameSite = fetchSite
    ? fetchSite === "same-origin" || fetchSite === "none"
    : !origin || origin === new URL(c.req.url).origin;

  if (!sameSite) {
    throw new ApiError("FORBIDDEN", "Cross-site requests are not allowed.");
  }
  return next();
});
