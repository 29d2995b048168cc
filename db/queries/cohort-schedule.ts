import { asc, eq, gt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cohorts, modules } from "../schema.ts";

// What a cohort's clock is built from, for the Worker's schedule sync (system reads: the
// calendar is public and no user data is involved).

/** One cohort's calendar and the published modules' drip settings, in one round trip. */
export async function loadCohortSchedule(db: Database, cohortId: number) {
  const [cohortRows, moduleRows] = await db.batch([
    db
      .select({
        id: cohorts.id,
        timezone: cohorts.timezone,
        startsAt: cohorts.startsAt,
        endsAt: cohorts.endsAt,
        enrollmentOpensAt: cohorts.enrollmentOpensAt,
        enrollmentClosesAt: cohorts.enrollmentClosesAt,
      })
      .from(cohorts)
      .where(eq(cohorts.id, cohortId))
      .limit(1),
    db
      .select({
        id: modules.id,
        title: modules.title,
        releaseOffsetDays: modules.releaseOffsetDays,
        releaseTime: modules.releaseTime,
      })
      .from(modules)
      .where(eq(modules.published, true))
      .orderBy(asc(modules.position), asc(modules.id)),
  ]);
  const cohort = cohortRows[0];
  return cohort ? { cohort, modules: moduleRows } : null;
}

export type CohortScheduleSource = NonNullable<Awaited<ReturnType<typeof loadCohortSchedule>>>;

/**
 * Cohorts whose clock still has work to do: not over yet, or over but not yet marked
 * finished (their clock's last phase change is still due).
 */
export async function unfinishedCohortIds(db: Database, now = new Date()): Promise<number[]> {
  const rows = await db
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(or(gt(cohorts.endsAt, now), ne(cohorts.status, "finished")));
  return rows.map((row) => row.id);
}

/** Cohorts with at least one active member: the clocks that may have someone listening. */
export async function cohortIdsWithMembers(db: Database): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`select distinct cohort_id as id from enrollments
    where status = 'active' and cohort_id is not null`);
  return rows.map((row) => row.id);
}
