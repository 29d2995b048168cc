import type { Database } from "../../db/client.ts";
import { syncCohortClock } from "../../worker/live/schedule-sync.ts";
import type { Logger } from "../../worker/services/logger.ts";

/**
 * Hands a cohort's new calendar to its clock right after an admin changed it. The dates are
 * already stored: if the clock cannot be reached now, the periodic sync picks them up, so a
 * failure is logged and reported (false) rather than failing the admin's request.
 */
export async function syncClockAfterEdit(env: Env, db: Database, log: Logger, cohortId: number): Promise<boolean> {
  try {
    await syncCohortClock(env, db, cohortId);
    return true;
  } catch (error) {
    log.error("cohort clock sync after an admin edit failed", { cohortId, error });
    return false;
  }
}
