import { asc, desc, eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { cohortPhase } from "../cohorts/release.ts";
import type { Database } from "../client.ts";
import { cohorts, enrollments, moduleReleaseOverrides, modules, users } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget, isUniqueViolation } from "./audit-target.ts";
import { cohortColumns, type CohortSummary } from "./cohorts.ts";
import { memberOfCohort } from "./release-overrides.ts";

// The admin's cohort pages: one cohort with its roster and each student's progress,
// creating and editing cohorts, taking a student out, and the roster as a spreadsheet.

/** What a cohort is made of, as the create and edit forms hand it over (already validated). */
export type CohortDraft = {
  name: string;
  slug: string;
  courseTitle: string;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  enrollmentOpensAt: Date;
  enrollmentClosesAt: Date;
  capacity: number;
  priceCents: number;
  currency: string;
};

export type CohortWriteResult =
  | { ok: true; id: number; slug: string }
  | { ok: false; reason: "slug_taken" }
  | { ok: false; reason: "below_seats"; seatsTaken: number }
  | { ok: false; reason: "not_found" };

const publishedLecture = sql`lectures.published = 1 and modules.published = 1`;

/** The same three counts the certificate asks for, per enrolment row of a roster. */
const rosterProgressColumns = {
  lecturesDone: sql<number>`(select count(*) from lecture_progress
    join lectures on lectures.id = lecture_progress.lecture_id join modules on modules.id = lectures.module_id
    where lecture_progress.user_id = enrollments.user_id and lecture_progress.completed_at is not null
      and ${publishedLecture})`.mapWith(Number),
  quizzesPassed: sql<number>`(select count(*) from quizzes join modules on modules.id = quizzes.module_id
    where modules.published = 1 and exists (select 1 from quiz_attempts where quiz_attempts.quiz_id = quizzes.id
      and quiz_attempts.user_id = enrollments.user_id and quiz_attempts.passed = 1))`.mapWith(Number),
  projectsApproved: sql<number>`(select count(*) from projects join modules on modules.id = projects.module_id
    where modules.published = 1 and projects.required = 1 and exists (select 1 from project_submissions
      where project_submissions.project_id = projects.id and project_submissions.user_id = enrollments.user_id
        and project_submissions.status = 'approved'))`.mapWith(Number),
};

/** How much there is to do: published lectures and quizzes, required projects. */
function courseTotalsQuery(db: Database) {
  return db
    .select({
      lectures: sql<number>`(select count(*) from lectures join modules on modules.id = lectures.module_id
        where ${publishedLecture})`.mapWith(Number),
      quizzes: sql<number>`(select count(*) from quizzes join modules on modules.id = quizzes.module_id
        where modules.published = 1)`.mapWith(Number),
      projects: sql<number>`(select count(*) from projects join modules on modules.id = projects.module_id
        where modules.published = 1 and projects.required = 1)`.mapWith(Number),
    })
    .from(sql`(select 1)`);
}

export type CourseTotals = { lectures: number; quizzes: number; projects: number };

/** Every enrolment of the cohort, whatever its status, newest first, with the student's progress. */
function rosterQuery(db: Database, cohortSlug: string) {
  return db
    .select({
      // Not users.id: D1 returns same-named columns of a join as one, shifting the rest.
      enrollmentId: enrollments.id,
      userId: enrollments.userId,
      status: enrollments.status,
      source: enrollments.source,
      enrolledAt: enrollments.createdAt,
      name: users.name,
      email: users.email,
      ...rosterProgressColumns,
    })
    .from(enrollments)
    .innerJoin(users, eq(users.id, enrollments.userId))
    .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
    .where(eq(cohorts.slug, cohortSlug))
    .orderBy(desc(enrollments.createdAt), asc(users.email));
}

export type RosterRow = Awaited<ReturnType<typeof rosterQuery>>[number];

const cohortBySlug = (db: Database, cohortSlug: string) =>
  db.select(cohortColumns).from(cohorts).where(eq(cohorts.slug, cohortSlug)).limit(1);

/**
 * One cohort as its admin page shows it, in one round trip: the cohort with its seats, its
 * roster with progress, the course totals, the published modules for the schedule, and the
 * members' early releases. Null for an unknown slug.
 */
export async function getCohortAdminPage(db: Database, admin: CurrentUser, cohortSlug: string) {
  assertAdmin(admin);
  const [cohortRows, roster, totals, moduleRows, overrides] = await db.batch([
    cohortBySlug(db, cohortSlug),
    rosterQuery(db, cohortSlug),
    courseTotalsQuery(db),
    db
      .select({
        id: modules.id,
        slug: modules.slug,
        title: modules.title,
        releaseOffsetDays: modules.releaseOffsetDays,
        releaseTime: modules.releaseTime,
      })
      .from(modules)
      .where(eq(modules.published, true))
      .orderBy(asc(modules.position)),
    db
      .select({
        email: users.email,
        name: users.name,
        moduleTitle: modules.title,
        releasedAt: moduleReleaseOverrides.releasedAt,
      })
      .from(moduleReleaseOverrides)
      .innerJoin(users, eq(users.id, moduleReleaseOverrides.userId))
      .innerJoin(modules, eq(modules.id, moduleReleaseOverrides.moduleId))
      .where(memberOfCohort(cohortSlug))
      .orderBy(desc(moduleReleaseOverrides.releasedAt), asc(users.email)),
  ]);
  const cohort = cohortRows[0] as CohortSummary | undefined;
  if (!cohort) return null;
  return { cohort, roster, totals: totals[0] as CourseTotals, modules: moduleRows, overrides };
}

/** The cohort as its edit form starts: every stored field and the seats already taken. */
export async function getCohortForEdit(db: Database, admin: CurrentUser, cohortSlug: string) {
  assertAdmin(admin);
  const [cohort] = await cohortBySlug(db, cohortSlug);
  return (cohort as CohortSummary | undefined) ?? null;
}

const cohortSummary = (draft: CohortDraft) =>
  `"${draft.name}" (${draft.slug}), ${draft.timezone}, capacity ${draft.capacity}, ` +
  `${(draft.priceCents / 100).toFixed(2)} ${draft.currency.toUpperCase()}`;

/** Creates a cohort with its audit entry. A slug in use is refused by the unique index. */
export async function createCohort(
  db: Database,
  admin: CurrentUser,
  draft: CohortDraft,
  now = new Date(),
): Promise<CohortWriteResult> {
  assertAdmin(admin);
  try {
    const [inserted] = await db.batch([
      db
        .insert(cohorts)
        .values({ ...draft, status: cohortPhase(draft, now) })
        .returning({ id: cohorts.id }),
      auditStatement(db, admin, {
        action: "cohort.create",
        targetType: "cohort",
        targetId: auditTarget(sql`select id from cohorts where slug = ${draft.slug}`),
        summary: `Created cohort ${cohortSummary(draft)}`,
      }),
    ]);
    return { ok: true, id: inserted[0]!.id, slug: draft.slug };
  } catch (error) {
    if (isUniqueViolation(error, "cohorts.slug")) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

/**
 * Saves every field of a cohort, with its audit entry. The entry goes after the update and
 * names the cohort only if its capacity still covers the seats taken at that instant, so a
 * capacity below them (even one raced by a new enrolment) rolls the whole edit back.
 */
export async function updateCohort(
  db: Database,
  admin: CurrentUser,
  cohortId: number,
  draft: CohortDraft,
): Promise<CohortWriteResult> {
  assertAdmin(admin);
  try {
    await db.batch([
      db
        .update(cohorts)
        .set({ ...draft, updatedAt: sql`(unixepoch())` })
        .where(eq(cohorts.id, cohortId)),
      auditStatement(db, admin, {
        action: "cohort.update",
        targetType: "cohort",
        targetId: auditTarget(sql`select id from cohorts where id = ${cohortId} and capacity >= (
          select count(*) from enrollments as seat
          where seat.cohort_id = cohorts.id and seat.status in ('active', 'pending'))`),
        summary: `Edited cohort ${cohortSummary(draft)}`,
      }),
    ]);
    return { ok: true, id: cohortId, slug: draft.slug };
  } catch (error) {
    if (isUniqueViolation(error, "cohorts.slug")) return { ok: false, reason: "slug_taken" };
    if (!isAbortedByAuditTarget(error)) throw error;
  }
  const [current] = await db
    .select({ seatsTaken: cohortColumns.seatsTaken })
    .from(cohorts)
    .where(eq(cohorts.id, cohortId));
  return current
    ? { ok: false, reason: "below_seats", seatsTaken: current.seatsTaken }
    : { ok: false, reason: "not_found" };
}

/**
 * Takes a student out of the cohort by cancelling their active or pending enrolment there:
 * the seat is freed and lectures that need an enrolment close for them; the cancelled
 * enrolment stays on the roster as the record, and their progress, submissions and
 * certificate are untouched. False when there is no such current enrolment in this cohort.
 */
export async function removeStudentFromCohort(
  db: Database,
  admin: CurrentUser,
  cohortSlug: string,
  enrollmentId: string,
): Promise<boolean> {
  assertAdmin(admin);
  const current = sql`enrollments.id = ${enrollmentId} and enrollments.status in ('active', 'pending')
    and enrollments.cohort_id = (select id from cohorts where slug = ${cohortSlug})`;
  try {
    await db.batch([
      auditStatement(db, admin, {
        action: "cohort.remove_student",
        targetType: "user",
        targetId: auditTarget(sql`select enrollments.user_id from enrollments where ${current}`),
        summary: `Removed a student from cohort ${cohortSlug}: enrolment ${enrollmentId} cancelled`,
      }),
      db
        .update(enrollments)
        .set({ status: "cancelled", updatedAt: sql`(unixepoch())` })
        .where(current),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}

/**
 * The roster for the CSV export, with the export itself recorded (it hands out students'
 * personal data). One round trip; null for an unknown slug.
 */
export async function exportCohortRoster(db: Database, admin: CurrentUser, cohortSlug: string) {
  assertAdmin(admin);
  try {
    const [cohortRows, roster, totals] = await db.batch([
      cohortBySlug(db, cohortSlug),
      rosterQuery(db, cohortSlug),
      courseTotalsQuery(db),
      auditStatement(db, admin, {
        action: "cohort.export_roster",
        targetType: "cohort",
        targetId: auditTarget(sql`select id from cohorts where slug = ${cohortSlug}`),
        summary: `Exported the roster of cohort ${cohortSlug} as CSV`,
      }),
    ]);
    return { cohort: cohortRows[0] as CohortSummary, roster, totals: totals[0] as CourseTotals };
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return null;
    throw error;
  }
}
