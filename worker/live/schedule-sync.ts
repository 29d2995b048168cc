import {
  loadCohortSchedule,
  unfinishedCohortIds,
  type CohortScheduleSource,
} from "../../db/queries/cohort-schedule.ts";
import { cohortPhase, moduleReleaseAt, type CohortPhase } from "../../db/cohorts/release.ts";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../services/logger.ts";
import { cohortClock } from "./broadcast.ts";
import type { Schedule, ScheduleEvent } from "./protocol.ts";

// The Worker computes a cohort's schedule from D1 with the release maths and hands it to
// the cohort's clock, which only stores it and keeps time. Run after anything that moves
// a cohort's dates or a module's release settings, from the cron trigger, and lazily when
// a member connects.

/** Where each phase begins. A boundary whose instant does not actually begin that phase
 * (enrolment opening after the start, say) is left out, so the clock never sets a status
 * the calendar contradicts. */
const PHASE_BOUNDARIES: Array<[CohortPhase, keyof Omit<CohortScheduleSource["cohort"], "id" | "timezone">]> = [
  ["enrolling", "enrollmentOpensAt"],
  // Enrolment closing before the start: the cohort waits as upcoming until it begins.
  ["upcoming", "enrollmentClosesAt"],
  ["running", "startsAt"],
  ["finished", "endsAt"],
];

/** One release event per published module and one event per phase change, in time order. */
export function computeCohortSchedule({ cohort, modules }: CohortScheduleSource): Schedule {
  const events: ScheduleEvent[] = modules.map((module) => ({
    key: `release:module:${module.id}`,
    at: moduleReleaseAt(cohort, module).getTime(),
    kind: "release",
    label: module.title.slice(0, 200),
  }));
  for (const [phase, field] of PHASE_BOUNDARIES) {
    const at = cohort[field];
    if (cohortPhase(cohort, at) !== phase) continue;
    events.push({ key: `phase:${phase}`, at: at.getTime(), kind: "phase", label: phase });
  }
  events.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  return { cohortId: cohort.id, events };
}

export type SyncResult = { cohortId: number; synced: boolean; events: number } | null;

/**
 * Recomputes the cohort's schedule and hands it to its clock. `onlyIfChanged` (the cheap
 * path used when a member connects) skips the write when the clock already holds exactly
 * this schedule. Returns null when there is no such cohort.
 */
export async function syncCohortClock(
  env: Env,
  db: Database,
  cohortId: number,
  options: { onlyIfChanged?: boolean } = {},
): Promise<SyncResult> {
  const source = await loadCohortSchedule(db, cohortId);
  if (!source) return null;
  const schedule = computeCohortSchedule(source);
  const clock = cohortClock(env, cohortId);
  if (options.onlyIfChanged) {
    const synced = await clock.syncIfChanged(schedule);
    return { cohortId, synced, events: schedule.events.length };
  }
  await clock.sync(schedule);
  return { cohortId, synced: true, events: schedule.events.length };
}

/**
 * The cron trigger's work: re-syncs every cohort that is not finished. A full sync also
 * re-arms a clock whose alarm gave up after its retries. One failing cohort does not stop
 * the others.
 */
export async function syncUnfinishedCohorts(env: Env, db: Database, log: Logger, now = new Date()) {
  const ids = await unfinishedCohortIds(db, now);
  const results = await Promise.allSettled(ids.map((cohortId) => syncCohortClock(env, db, cohortId)));
  let failed = 0;
  results.forEach((result, index) => {
    if (result.status === "rejected") {
      failed++;
      log.error("cohort clock sync failed", { cohortId: ids[index], error: result.reason });
    }
  });
  return { cohorts: ids.length, failed };
}
