import { Hono } from "hono";
import { liveCohortId } from "../../db/queries/member-cohort.ts";
import { cohortClock } from "../live/broadcast.ts";
import { LIVE_USER_HEADER } from "../live/protocol.ts";
import { syncCohortClock } from "../live/schedule-sync.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";

/**
 * GET /api/live: the member's WebSocket to their cohort's clock. Authorized here, before
 * the Durable Object sees anything: a session, and an Origin of this site (browsers send
 * it on every WebSocket handshake; checking it stops other sites from opening a socket
 * with the member's cookies).
 */
export const liveApi = new Hono<AppEnv>().get("/", async (c) => {
  const user = await c.var.services.auth.getUser();
  if (!user) throw new ApiError("UNAUTHORIZED", "Sign in to receive live updates.");
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("BAD_REQUEST", "This endpoint only accepts WebSocket upgrades.");
  }
  if (c.req.header("origin") !== new URL(c.req.url).origin) {
    throw new ApiError("FORBIDDEN", "WebSocket connections are only accepted from this site.");
  }

  const { db, log } = c.var.services;
  const cohortId = await liveCohortId(db, user);
  if (cohortId !== null) {
    // A clock that never saw this cohort's schedule (or an outdated one) is brought up to
    // date before the member listens to it. Live updates are a convenience: a failed sync
    // is logged and the cron trigger retries it, the connection goes ahead.
    await syncCohortClock(c.env, db, cohortId, { onlyIfChanged: true }).catch((error: unknown) => {
      log.error("cohort clock sync on connect failed", { cohortId, error });
    });
  }
  // A fresh request: nothing the client sent (least of all a user id header) reaches the object.
  const upstream = await cohortClock(c.env, cohortId).fetch("https://cohort-clock/connect", {
    headers: { upgrade: "websocket", [LIVE_USER_HEADER]: user.id },
  });
  if (!upstream.webSocket) return upstream;
  return new Response(null, { status: 101, webSocket: upstream.webSocket });
});
