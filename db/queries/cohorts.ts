import { and, asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { cohorts, type EnrollmentStatus } from "../schema.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// Cohorts: what the countdown shows, and enrolment that never exceeds a cohort's capacity.

/** Seats a cohort has given away: active students and those still paying. Written out in
 * full: drizzle leaves columns unqualified in single-table selects. */
export const seatsTakenSql = sql<number>`(select count(*) from enrollments as seat
  where seat.cohort_id = cohorts.id and seat.status in ('active', 'pending'))`;

export const cohortColumns = {
  id: cohorts.id,
  slug: cohorts.slug,
  name: cohorts.name,
  courseTitle: cohorts.courseTitle,
  timezone: cohorts.timezone,
  startsAt: cohorts.startsAt,
  endsAt: cohorts.endsAt,
  enrollmentOpensAt: cohorts.enrollmentOpensAt,
  enrollmentClosesAt: cohorts.enrollmentClosesAt,
  capacity: cohorts.capacity,
  priceCents: cohorts.priceCents,
  currency: cohorts.currency,
  seatsTaken: seatsTakenSql.mapWith(Number).as("seats_taken"),
};

export type CohortSummary = {
  id: number;
  slug: string;
  name: string;
  courseTitle: string;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  enrollmentOpensAt: Date;
  enrollmentClosesAt: Date;
  capacity: number;
  priceCents: number;
  currency: string;
  seatsTaken: number;
};

/** Cohorts taking enrolments right now, soonest start first. */
export function listOpenCohorts(db: Database, now = new Date()) {
  return db
    .select(cohortColumns)
    .from(cohorts)
    .where(and(lte(cohorts.enrollmentOpensAt, now), gt(cohorts.enrollmentClosesAt, now), gt(cohorts.endsAt, now)))
    .orderBy(asc(cohorts.startsAt));
}

/** Cohorts that have not started, soonest first (builders, for use inside db.batch). */
export function upcomingCohortsQuery(db: Database, now = new Date(), limit = 3) {
  return db
    .select(cohortColumns)
    .from(cohorts)
    .where(gt(cohorts.startsAt, now))
    .orderBy(asc(cohorts.startsAt))
    .limit(limit);
}

/** Cohorts between their start and their end. */
export function runningCohortsQuery(db: Database, now = new Date()) {
  return db
    .select(cohortColumns)
    .from(cohorts)
    .where(and(lte(cohorts.startsAt, now), gt(cohorts.endsAt, now)))
    .orderBy(asc(cohorts.startsAt));
}

/**
 * What the countdown needs, in one round trip: the cohorts that have not started yet
 * (soonest first: `next` is the countdown's target, the rest are promoted in the browser
 * as each one starts) and the cohorts running now ("Batch 3 is running: day 12").
 */
export async function getNextCohort(db: Database, now = new Date()) {
  const [upcoming, running] = await db.batch([upcomingCohortsQuery(db, now), runningCohortsQuery(db, now)]);
  return { next: (upcoming[0] ?? null) as CohortSummary | null, upcoming: upcoming as CohortSummary[], running };
}

export type EnrollmentRefusal = "no_such_cohort" | "closed" | "full" | "already_enrolled";
export type EnrollmentResult = { ok: true; enrollmentId: string } | { ok: false; reason: EnrollmentRefusal };

/** Whose seat: the acting student by id, or a student an admin names by email. */
export type SQLUserRef = { id: string } | { email: string };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * One statement that takes a seat only while one is free: D1 runs a database's statements
 * one at a time, so the count of taken seats and the insert can never interleave with
 * another request's, and concurrent enrolments stop exactly at capacity. `openAt` checks
 * the enrolment window at that instant; null (admins) skips it. Batchable; the enrolment
 * gets the id given, and nothing is inserted when there is no seat to take.
 */
export function seatStatement(
  db: Database,
  options: {
    enrollmentId: string;
    userId: SQLUserRef;
    cohortSlug: string;
    status: EnrollmentStatus;
    source: string;
    openAt: Date | null;
  },
) {
  const user =
    "id" in options.userId ? sql`users.id = ${options.userId.id}` : sql`users.email = ${options.userId.email}`;
  const window = options.openAt
    ? sql`and cohorts.enrollment_opens_at <= ${seconds(options.openAt)} and cohorts.enrollment_closes_at > ${seconds(options.openAt)}`
    : sql``;
  return batchable(
    db,
    db.run(sql`
    insert into enrollments (id, user_id, status, source, cohort_id)
    select ${options.enrollmentId}, users.id, ${options.status}, ${options.source}, cohorts.id
    from cohorts join users on ${user}
    where cohorts.slug = ${options.cohortSlug} ${window}
      and (select count(*) from enrollments as seat
           where seat.cohort_id = cohorts.id and seat.status in ('active', 'pending')) < cohorts.capacity
      and not exists (select 1 from enrollments as own
           where own.cohort_id = cohorts.id and own.user_id = users.id and own.status in ('active', 'pending'))`),
  );
}

/** Why a seat was not taken, read after the fact (the insert itself already decided). */
export async function refusalReason(
  db: Database,
  userId: SQLUserRef,
  cohortSlug: string,
  openAt: Date | null,
): Promise<EnrollmentRefusal> {
  const user = "id" in userId ? sql`users.id = ${userId.id}` : sql`users.email = ${userId.email}`;
  const [row] = await db
    .select({
      opensAt: cohorts.enrollmentOpensAt,
      closesAt: cohorts.enrollmentClosesAt,
      capacity: cohorts.capacity,
      seatsTaken: seatsTakenSql.mapWith(Number),
      enrolled: sql<boolean>`exists (select 1 from enrollments as own join users on own.user_id = users.id
        where own.cohort_id = cohorts.id and ${user} and own.status in ('active', 'pending'))`.mapWith(Boolean),
    })
    .from(cohorts)
    .where(eq(cohorts.slug, cohortSlug))
    .limit(1);
  if (!row) return "no_such_cohort";
  if (row.enrolled) return "already_enrolled";
  if (openAt && (openAt < row.opensAt || openAt >= row.closesAt)) return "closed";
  return "full";
}

/**
 * Enrols the acting student in a cohort while its enrolment window is open and a seat is
 * free. The enrolment is `pending` (a payment activates it) unless told otherwise.
 */
export async function enrollInCohort(
  db: Database,
  actor: CurrentUser,
  cohortSlug: string,
  now = new Date(),
  options: { status?: "pending" | "active"; source?: string } = {},
): Promise<EnrollmentResult> {
  const userId = { id: actor.id };
  const enrollmentId = crypto.randomUUID();
  const taken = await seatStatement(db, {
    enrollmentId,
    userId,
    cohortSlug,
    status: options.status ?? "pending",
    source: options.source ?? "cohort",
    openAt: now,
  });
  if (taken.meta.changes > 0) return { ok: true, enrollmentId };
  return { ok: false, reason: await refusalReason(db, userId, cohortSlug, now) };
}

/**
 * An admin puts a student into a cohort with an active enrolment, outside the enrolment
 * window if need be (a late joiner), but never past capacity. Audited: the entry names the
 * enrolment just inserted, so a refused seat writes nothing at all.
 */
export async function enrollStudentByAdmin(
  db: Database,
  admin: CurrentUser,
  userEmail: string,
  cohortSlug: string,
): Promise<EnrollmentResult | { ok: false; reason: "not_admin" | "no_such_user" }> {
  if (admin.role !== "admin") return { ok: false, reason: "not_admin" };
  const userId = { email: userEmail.trim().toLowerCase() };
  const enrollmentId = crypto.randomUUID();
  try {
    await db.batch([
      seatStatement(db, { enrollmentId, userId, cohortSlug, status: "active", source: "admin", openAt: null }),
      auditStatement(db, admin, {
        action: "cohort.enrol",
        targetType: "user",
        targetId: auditTarget(sql`select user_id from enrollments where id = ${enrollmentId}`),
        summary: `Enrolled ${userId.email} in cohort ${cohortSlug}`,
      }),
    ]);
    return { ok: true, enrollmentId };
  } catch (error) {
    if (!isAbortedByAuditTarget(error)) throw error;
  }
  const [user] = await db.all<{ id: string }>(sql`select id from users where email = ${userId.email}`);
  if (!user) return { ok: false, reason: "no_such_user" };
  return { ok: false, reason: await refusalReason(db, userId, cohortSlug, null) };
}

/**
 * Moves a whole cohort (start, end and enrolment window) by whole days, in one batch with
 * its audit entry. Release instants follow on their own: they are computed from the start.
 * Returns false when the actor is not an admin or there is no such cohort.
 */
export async function shiftCohortDates(db: Database, admin: CurrentUser, cohortSlug: string, days: number) {
  if (admin.role !== "admin" || !Number.isInteger(days)) return false;
  const delta = days * 86_400;
  try {
    await db.batch([
      auditStatement(db, admin, {
        action: "cohort.shift",
        targetType: "cohort",
        targetId: auditTarget(sql`select id from cohorts where slug = ${cohortSlug}`),
        summary: `Moved cohort ${cohortSlug} ${Math.abs(days)} ${Math.abs(days) === 1 ? "day" : "days"} ${days > 0 ? "later" : "earlier"}`,
      }),
      db
        .update(cohorts)
        .set({
          startsAt: sql`${cohorts.startsAt} + ${delta}`,
          endsAt: sql`${cohorts.endsAt} + ${delta}`,
          enrollmentOpensAt: sql`${cohorts.enrollmentOpensAt} + ${delta}`,
          enrollmentClosesAt: sql`${cohorts.enrollmentClosesAt} + ${delta}`,
          updatedAt: sql`(unixepoch())`,
        })
        .where(eq(cohorts.slug, cohortSlug)),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}

// ---- Admin views -------------------------------------------------------------------

/** Every cohort with its seats, newest start first. Admins only (others get an empty list). */
export async function listCohortsForAdmin(db: Database, admin: CurrentUser): Promise<CohortSummary[]> {
  if (admin.role !== "admin") return [];
  return db.select(cohortColumns).from(cohorts).orderBy(desc(cohorts.startsAt), desc(cohorts.id));
}

/** A cohort's id by its slug (its clock is keyed by id), or null. */
export async function cohortIdBySlug(db: Database, cohortSlug: string): Promise<number | null> {
  const [row] = await db.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.slug, cohortSlug)).limit(1);
  return row?.id ?? null;
}
