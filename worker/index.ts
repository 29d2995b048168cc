import { createDatabase } from "../db/client.ts";
import { app } from "./app.ts";
import { syncUnfinishedCohorts } from "./live/schedule-sync.ts";
import { createLogger, logLevel } from "./services/logger.ts";
import { abortStaleUploads } from "./uploads/stale-uploads.ts";
import { expireLapsedCheckouts } from "../db/queries/checkouts.ts";
import { suspendLapsedSubscriptions } from "../db/queries/payment-effects.ts";

export { CohortClock } from "./durable-objects/cohort-clock.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";

export default {
  fetch: app.fetch,
  /**
   * The cron trigger (wrangler.toml): every cohort that is not finished gets its clock
   * re-synced from D1, which re-arms any alarm that gave up and picks up schedule changes
   * nobody synced explicitly. Lecture file uploads abandoned for a week are aborted. Seats
   * held by checkouts that lapsed without Stripe saying so are released, and subscriptions
   * whose grace period ran out unpaid are suspended.
   */
  scheduled(controller, env, ctx) {
    const log = createLogger(
      { cron: controller.cron, scheduledTime: controller.scheduledTime },
      logLevel(env.LOG_LEVEL),
    );
    const db = createDatabase(env.DB);
    ctx.waitUntil(
      syncUnfinishedCohorts(env, db, log).then(
        (result) => log.info("cohort clocks synced", result),
        (error: unknown) => log.error("cohort clock sync failed", { error }),
      ),
    );
    ctx.waitUntil(
      abortStaleUploads(env, db, new Date(controller.scheduledTime)).then(
        (result) => log.info("stale uploads aborted", result),
        (error: unknown) => log.error("stale upload cleanup failed", { error }),
      ),
    );
    const now = new Date(controller.scheduledTime);
    ctx.waitUntil(
      Promise.all([expireLapsedCheckouts(db, now), suspendLapsedSubscriptions(db, now)]).then(
        ([, subscriptions]) => log.info("payment holds and grace periods checked", subscriptions),
        (error: unknown) => log.error("payment housekeeping failed", { error }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
