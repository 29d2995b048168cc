import { createMiddleware } from "hono/factory";
import { themeFromCookieHeader } from "../../app/lib/theme.ts";
import { SESSION_COOKIE } from "../auth/auth.ts";
import type { AppEnv } from "../types.ts";

/**
 * The pages every visitor without a session sees alike: landing, curriculum, a module and
 * a lecture (free previews in full, the rest as a teaser). Anything with a per-visitor
 * side (search, certificates, the dev outbox, account pages) is not on the list.
 */
const PUBLIC_PAGES = [/^\/$/, /^\/modules$/, /^\/modules\/[a-z0-9-]+$/, /^\/modules\/[a-z0-9-]+\/[a-z0-9-]+$/];

export const EDGE_CACHE_HEADER = "x-edge-cache";

/**
 * Caches public pages for anonymous visitors in the data centre's cache (the Cache API), so
 * most of them are answered without rendering or touching D1. Signed-in requests never
 * read or fill it. The cached HTML keeps its markup but not its CSP nonce: every hit gets
 * this response's nonce, so the policy stays per response. Entries live
 * PUBLIC_PAGE_CACHE_SECONDS (0 turns caching off); edits reach visitors within that time.
 */
export const publicPageCache = createMiddleware<AppEnv>(async (c, next) => {
  const seconds = Number(c.env.PUBLIC_PAGE_CACHE_SECONDS ?? 0);
  const url = new URL(c.req.url);
  const cookies = c.req.header("cookie") ?? null;
  if (
    c.req.method !== "GET" ||
    !(seconds > 0) ||
    cookies?.includes(SESSION_COOKIE) ||
    url.search !== "" ||
    !PUBLIC_PAGES.some((page) => page.test(url.pathname))
  ) {
    return next();
  }

  // One entry per page and theme (the theme is rendered into <html>).
  const key = new Request(`${url.origin}${url.pathname}?theme=${themeFromCookieHeader(cookies)}`);
  const cache = await caches.open("public-pages");
  const hit = await cache.match(key);
  if (hit) {
    const nonce = c.var.services.nonce;
    const fresh = new HTMLRewriter()
      .on("[nonce]", {
        element(element) {
          element.setAttribute("nonce", nonce);
        },
      })
      .transform(hit);
    c.res = new Response(fresh.body, { status: hit.status, headers: pageHeaders(hit.headers, "HIT") });
    return;
  }

  await next();
  const response = c.res;
  if (response.status !== 200 || response.headers.has("set-cookie")) return;
  const stored = new Response(response.clone().body, {
    status: 200,
    headers: pageHeaders(response.headers, null),
  });
  stored.headers.set("cache-control", `public, s-maxage=${seconds}`);
  c.executionCtx.waitUntil(cache.put(key, stored));
  c.res = new Response(response.body, { status: 200, headers: pageHeaders(response.headers, "MISS") });
});

/** What the browser gets: revalidate every time (the page may change at sign-in), and whether it was a hit. */
function pageHeaders(source: Headers, status: "HIT" | "MISS" | null): Headers {
  const headers = new Headers(source);
  for (const name of ["age", "cf-cache-status", "expires", "last-modified", "etag"]) headers.delete(name);
  headers.set("cache-control", "no-cache");
  if (status) headers.set(EDGE_CACHE_HEADER, status);
  return headers;
}
