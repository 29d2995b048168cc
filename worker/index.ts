import { createDatabase } from "../db/client.ts";
import { app } from "./app.ts";
import { syncUnfinishedCohorts } from "./live/schedule-sync.ts";
import { createLogger } from "./services/logger.ts";

export { CohortClock } from "./durable-objects/cohort-clock.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";

export default {
  fetch: app.fetch,
  /**
   * The cron trigger (wrangler.toml): every cohort that is not finished gets its clock
   * re-synced from D1, which re-arms any alarm that gave up and picks up schedule changes
   * nobody synced explicitly.
   */
  scheduled(controller, env, ctx) {
    const log = createLogger({ cron: controller.cron, scheduledTime: controller.scheduledTime });
    ctx.waitUntil(
      syncUnfinishedCohorts(env, createDatabase(env.DB), log).then(
        (result) => log.info("cohort clocks synced", result),
        (error: unknown) => log.error("cohort clock sync failed", { error }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
