import { createMiddleware } from "hono/factory";
import { themeFromCookieHeader } from "../../app/lib/theme.ts";
import { SESSION_COOKIE } from "../auth/auth.ts";
import type { AppEnv } from "../types.ts";

/**
 * The pages every visitor without a session sees alike: the curriculum, a module and a
 * lecture (free previews in full, the rest as a teaser). The landing page is not one of
 * them: its countdown and seats left must be exact the moment a cohort opens or fills.
 * Nor is anything with a per-visitor side (search, certificates, account pages).
 */
const PUBLIC_PAGES = [/^\/modules$/, /^\/modules\/[a-z0-9-]+$/, /^\/modules\/[a-z0-9-]+\/[a-z0-9-]+$/];

export const EDGE_CACHE_HEADER = "x-edge-cache";
/** What a stored page remembers about itself (its nonce, when it expires); never sent to browsers. */
const STORED_NONCE_HEADER = "x-stored-nonce";
const EXPIRES_AT_HEADER = "x-stored-expires-at";
const NOT_FORWARDED = new Set([
  STORED_NONCE_HEADER,
  EXPIRES_AT_HEADER,
  "cache-control",
  "age",
  "cf-cache-status",
  "etag",
]);

/** A page as this isolate keeps it: the HTML cut at its nonces, so a hit only joins strings. */
type Entry = { expiresAt: number; headers: Array<[string, string]>; parts: string[] };
// The hottest pages stay in the isolate too, which saves the cache lookup on most hits.
const MEMORY_ENTRIES = 64;
const memory = new Map<string, Entry>();

/** Empties this isolate's copies (tests use it to reach the Cache API behind them). */
export function forgetPublicPagesInIsolate() {
  memory.clear();
}

function remember(key: string, entry: Entry) {
  memory.delete(key);
  memory.set(key, entry);
  if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
}

function entryOf(html: string, headers: Headers, expiresAt: number): Entry | null {
  const nonce = headers.get(STORED_NONCE_HEADER);
  if (!nonce) return null;
  const kept = [...headers].filter(([name]) => !NOT_FORWARDED.has(name));
  return { expiresAt, headers: kept, parts: html.split(`nonce="${nonce}"`) };
}

/** The stored page with this response's nonce; what the browser gets says whether it was a hit. */
function serve(entry: Entry, nonce: string, status: "HIT" | "MISS"): Response {
  const headers = new Headers(entry.headers);
  headers.set("cache-control", "no-cache");
  headers.set(EDGE_CACHE_HEADER, status);
  return new Response(entry.parts.join(`nonce="${nonce}"`), { status: 200, headers });
}

/**
 * Caches public pages for anonymous visitors in the data centre's cache (the Cache API) and
 * in the isolate, so most of them are answered without rendering or touching D1. Signed-in
 * requests never read or fill it. Every response gets its own CSP nonce, written where the
 * stored page had the one it was rendered with, so the policy stays per response. Entries
 * live PUBLIC_PAGE_CACHE_SECONDS (0 turns caching off); edits reach visitors within that time.
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

  const { nonce } = c.var.services;
  // One entry per page and theme (the theme is rendered into <html>).
  const key = `${url.origin}${url.pathname}?theme=${themeFromCookieHeader(cookies)}`;
  const inMemory = memory.get(key);
  if (inMemory && inMemory.expiresAt > Date.now()) {
    c.res = serve(inMemory, nonce, "HIT");
    return;
  }
  const cache = await caches.open("public-pages");
  const hit = await cache.match(key);
  if (hit) {
    const expiresAt = Number(hit.headers.get(EXPIRES_AT_HEADER) ?? 0);
    const entry = entryOf(await hit.text(), hit.headers, expiresAt);
    if (entry && expiresAt > Date.now()) {
      remember(key, entry);
      c.res = serve(entry, nonce, "HIT");
      return;
    }
  }

  await next();
  const response = c.res;
  if (response.status !== 200 || response.headers.has("set-cookie")) return;
  const html = await response.text();
  const expiresAt = Date.now() + seconds * 1000;
  const headers = new Headers(response.headers);
  headers.set(STORED_NONCE_HEADER, nonce);
  const entry = entryOf(html, headers, expiresAt)!;
  remember(key, entry);
  const stored = new Response(html, { headers });
  stored.headers.set("cache-control", `public, s-maxage=${seconds}`);
  stored.headers.set(EXPIRES_AT_HEADER, String(expiresAt));
  c.executionCtx.waitUntil(cache.put(key, stored));
  c.res = serve(entry, nonce, "MISS");
});
