import { createDatabase } from "../db/client.ts";
import { app } from "./app.ts";
import { syncUnfinishedCohorts } from "./live/schedule-sync.ts";
import { createLogger } from "./services/logger.ts";
import { abortStaleUploads } from "./uploads/stale-uploads.ts";

export { CohortClock } from "./durable-objects/cohort-clock.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";

export default {
  fetch: app.fetch,
  /**
   * The cron trigger (wrangler.toml): every cohort that is not finished gets its clock
   * re-synced from D1, which re-arms any alarm that gave up and picks up schedule changes
   * nobody synced explicitly. Lecture file uploads abandoned for a week are aborted.
   */
  scheduled(controller, env, ctx) {
    const log = createLogger({ cron: controller.cron, scheduledTime: controller.scheduledTime });
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
  },
} satisfies ExportedHandler<Env>;
