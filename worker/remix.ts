import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import type { Context } from "hono";
import * as build from "../build/server/index.js";
import type { RequestServices } from "./services/request-services.ts";
import type { AppEnv } from "./types.ts";

declare module "@remix-run/cloudflare" {
  // Loader types follow single fetch (the v3_singleFetch flag in vite.config.ts).
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    cloudflare: { env: Env; ctx: ExecutionContext };
    services: RequestServices;
  }
}

// Created once per isolate, not per request.
const handleRemixRequest = createRequestHandler(build as unknown as ServerBuild);

/** Every path outside /api (and outside the static assets) is a Remix page. */
export function renderPage(c: Context<AppEnv>) {
  return handleRemixRequest(c.req.raw, {
    cloudflare: { env: c.env, ctx: c.executionCtx as ExecutionContext },
    services: c.var.services,
  });
}
