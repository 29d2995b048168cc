import { app } from "./app.ts";

export { CohortClock } from "./durable-objects/cohort-clock.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
