import { Hono } from "hono";
import type { AppEnv } from "../types.ts";
import { adminApi } from "./admin.ts";
import { announcementsApi } from "./announcements.ts";
import { checkoutApi } from "./checkout.ts";
import { noSuchRoute } from "./errors.ts";
import { health } from "./health.ts";
import { liveApi } from "./live.ts";
import { meApi } from "./me.ts";
import { modulesApi } from "./modules.ts";
import { progressApi } from "./progress.ts";
import { quizzesApi } from "./quizzes.ts";
import { searchApi } from "./search.ts";
import { stripeWebhook } from "./stripe-webhook.ts";

/** The JSON API, mounted at /api. Errors become JSON in the root app's onError. */
export const api = new Hono<AppEnv>()
  .route("/health", health)
  .route("/modules", modulesApi)
  .route("/modules", quizzesApi)
  .route("/search", searchApi)
  .route("/me", meApi)
  .route("/progress", progressApi)
  .route("/admin", adminApi)
  .route("/announcements", announcementsApi)
  .route("/live", liveApi)
  .route("/checkout", checkoutApi)
  .route("/stripe/webhook", stripeWebhook)
  .all("*", (c) => {
    throw noSuchRoute(c.req.method, c.req.url);
  });
