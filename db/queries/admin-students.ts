import { and, asc, count, desc, eq, gt, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import {
  auditLog,
  certificates,
  cohorts,
  enrollments,
  interviewCards,
  lectureProgress,
  lectureViews,
  modules,
  quizAttempts,
  sessions,
  users,
  type Role,
} from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";
import { seatStatement } from "./cohorts.ts";

// The admin's student pages: finding accounts, one student's record and progress, and what
// an admin may do to an account. No query here reads lecture_notes: a student's notes are
// theirs alone, and the admin pages never see them, not even as a count.

export const STUDENTS_PAGE_SIZE = 25;
export const STUDENT_STATUSES = ["active", "deactivated"] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];
export type StudentFilter = { q?: string; role?: Role; status?: StudentStatus; page?: number };

const CURRENT = sql`('active', 'pending')`;

/** The student's latest activity: a lecture opened or worked on, or a quiz submitted. */
const lastActivitySql = sql<number | null>`nullif(max(
  coalesce((select max(lecture_views.last_viewed_at) from lecture_views where lecture_views.user_id = users.id), 0),
  coalesce((select max(lecture_progress.updated_at) from lecture_progress where lecture_progress.user_id = users.id), 0),
  coalesce((select max(quiz_attempts.created_at) from quiz_attempts where quiz_attempts.user_id = users.id), 0)
), 0)`;

/** Escapes LIKE's wildcards so a search for "50%" or "a_b" means those characters. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * A page of accounts, newest first, matching a name or email fragment, a role and a status,
 * with each one's current enrolment and latest activity, and the total that match. One
 * round trip.
 */
export async function listStudents(db: Database, admin: CurrentUser, filter: StudentFilter) {
  assertAdmin(admin);
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const conditions: Array<SQL | undefined> = [
    filter.role ? eq(users.role, filter.role) : undefined,
    filter.status === "active" ? isNull(users.deactivatedAt) : undefined,
    filter.status === "deactivated" ? isNotNull(users.deactivatedAt) : undefined,
  ];
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const pattern = containsPattern(q);
    conditions.push(
      or(sql`lower(${users.name}) like ${pattern} escape '\\'`, sql`${users.email} like ${pattern} escape '\\'`),
    );
  }
  const where = and(...conditions);
  const [rows, totals] = await db.batch([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
        deactivatedAt: users.deactivatedAt,
        createdAt: users.createdAt,
        enrollmentStatus: sql<string | null>`(select enrollments.status from enrollments
          where enrollments.user_id = users.id
          order by enrollments.status in ${CURRENT} desc, enrollments.created_at desc limit 1)`,
        cohortName: sql<
          string | null
        >`(select cohorts.name from enrollments join cohorts on cohorts.id = enrollments.cohort_id
          where enrollments.user_id = users.id and enrollments.status in ${CURRENT}
          order by enrollments.created_at desc limit 1)`,
        lastActivity: lastActivitySql,
      })
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.email))
      .limit(STUDENTS_PAGE_SIZE)
      .offset((page - 1) * STUDENTS_PAGE_SIZE),
    db.select({ total: count() }).from(users).where(where),
  ]);
  const total = totals[0]?.total ?? 0;
  return {
    students: rows.map((row) => ({
      ...row,
      lastActivity: row.lastActivity ? new Date(Number(row.lastActivity) * 1000) : null,
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / STUDENTS_PAGE_SIZE)),
  };
}

/**
 * Everything the student page shows, in one round trip: the account, its enrolments, the
 * progress in each published module, the certificate, the signed-in sessions, how many
 * rows a progress reset would remove, the cohorts one can move them to, and the admin
 * actions already taken on the account. Null for an unknown id.
 */
export async function getStudentForAdmin(db: Database, admin: CurrentUser, userId: string, now = new Date()) {
  assertAdmin(admin);
  const rowCount = (name: string, table: string) =>
    sql<number>`(select count(*) from ${sql.raw(table)} where ${sql.raw(table)}.user_id = ${userId})`
      .mapWith(Number)
      .as(name);
  const [userRows, enrollmentRows, moduleRows, certificateRows, counts, cohortRows, auditRows] = await db.batch([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
        emailVerified: users.emailVerified,
        deactivatedAt: users.deactivatedAt,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1),
    db
      .select({
        id: enrollments.id,
        status: enrollments.status,
        source: enrollments.source,
        createdAt: enrollments.createdAt,
        cohortName: cohorts.name,
        cohortSlug: cohorts.slug,
      })
      .from(enrollments)
      .leftJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
      .where(eq(enrollments.userId, userId))
      .orderBy(desc(enrollments.createdAt)),
    db
      .select({
        slug: modules.slug,
        title: modules.title,
        lecturesTotal: sql<number>`(select count(*) from lectures
          where lectures.module_id = modules.id and lectures.published = 1)`.mapWith(Number),
        lecturesDone:
          sql<number>`(select count(*) from lecture_progress join lectures on lectures.id = lecture_progress.lecture_id
          where lectures.module_id = modules.id and lectures.published = 1
            and lecture_progress.user_id = ${userId} and lecture_progress.completed_at is not null)`.mapWith(Number),
        hasQuiz: sql<boolean>`exists (select 1 from quizzes where quizzes.module_id = modules.id)`.mapWith(Boolean),
        quizAttempts: sql<number>`(select count(*) from quiz_attempts join quizzes on quizzes.id = quiz_attempts.quiz_id
          where quizzes.module_id = modules.id and quiz_attempts.user_id = ${userId})`.mapWith(Number),
        quizBest: sql<number | null>`(select max(quiz_attempts.score_percent) from quiz_attempts
          join quizzes on quizzes.id = quiz_attempts.quiz_id
          where quizzes.module_id = modules.id and quiz_attempts.user_id = ${userId})`,
        quizPassed: sql<boolean>`exists (select 1 from quiz_attempts join quizzes on quizzes.id = quiz_attempts.quiz_id
          where quizzes.module_id = modules.id and quiz_attempts.user_id = ${userId}
            and quiz_attempts.passed = 1)`.mapWith(Boolean),
        projectTitle: sql<string | null>`(select projects.title from projects where projects.module_id = modules.id)`,
        projectStatus: sql<string | null>`(select project_submissions.status from project_submissions
          join projects on projects.id = project_submissions.project_id
          where projects.module_id = modules.id and project_submissions.user_id = ${userId}
          order by project_submissions.created_at desc, project_submissions.rowid desc limit 1)`,
      })
      .from(modules)
      .where(eq(modules.published, true))
      .orderBy(asc(modules.position)),
    db
      .select({ id: certificates.id, issuedAt: certificates.issuedAt, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(eq(certificates.userId, userId)),
    db
      .select({
        sessions: sql<number>`(select count(*) from sessions
          where sessions.user_id = ${userId} and sessions.expires_at > ${Math.floor(now.getTime() / 1000)})`
          .mapWith(Number)
          .as("active_sessions"),
        lectureProgress: rowCount("lecture_progress_rows", "lecture_progress"),
        lectureViews: rowCount("lecture_views_rows", "lecture_views"),
        quizAttempts: rowCount("quiz_attempts_rows", "quiz_attempts"),
        interviewCards: rowCount("interview_cards_rows", "interview_cards"),
      })
      .from(sql`(select 1)`),
    db
      .select({ slug: cohorts.slug, name: cohorts.name })
      .from(cohorts)
      .where(gt(cohorts.endsAt, now))
      .orderBy(asc(cohorts.startsAt)),
    db
      .select({
        id: auditLog.id,
        actorEmail: auditLog.actorEmail,
        summary: auditLog.summary,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, userId)))
      .orderBy(desc(auditLog.id))
      .limit(10),
  ]);
  const user = userRows[0];
  if (!user) return null;
  return {
    user,
    enrollments: enrollmentRows,
    modules: moduleRows,
    certificate: certificateRows[0] ?? null,
    counts: counts[0]!,
    cohorts: cohortRows,
    history: auditRows,
  };
}

/** The account an action is about: its id, and its email for the audit entry. */
export type StudentRef = { id: string; email: string };

/** Who an action is about, read before acting on them; null for an unknown id. */
export async function getStudentRef(db: Database, admin: CurrentUser, userId: string): Promise<StudentRef | null> {
  assertAdmin(admin);
  const [row] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export type StudentActionResult = { ok: true } | { ok: false; reason: "self" | "unchanged" };

/** The account as the audit names it: its id, only when `condition` holds for it. */
const userTarget = (userId: string, condition: SQL = sql`1`) =>
  auditTarget(sql`select id from users where id = ${userId} and ${condition}`);

async function audited(run: () => Promise<unknown>): Promise<StudentActionResult> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return { ok: false, reason: "unchanged" };
    throw error;
  }
}

/** Makes the account a student or an admin. Admins cannot change their own role. */
export async function changeRole(db: Database, admin: CurrentUser, student: StudentRef, role: Role) {
  assertAdmin(admin);
  const userId = student.id;
  if (userId === admin.id) return { ok: false, reason: "self" } as const;
  return audited(() =>
    db.batch([
      auditStatement(db, admin, {
        action: "student.role_change",
        targetType: "user",
        targetId: userTarget(userId, sql`role != ${role}`),
        summary: `Changed the role of ${student.email} to ${role}`,
      }),
      db
        .update(users)
        .set({ role, updatedAt: sql`(unixepoch())` })
        .where(eq(users.id, userId)),
    ]),
  );
}

/**
 * Deactivates the account: it is marked, and every session it has is deleted in the same
 * batch, so it is signed out everywhere at once and sign-in refuses it from then on.
 * Admins cannot deactivate themselves.
 */
export async function deactivateStudent(db: Database, admin: CurrentUser, student: StudentRef) {
  assertAdmin(admin);
  const userId = student.id;
  if (userId === admin.id) return { ok: false, reason: "self" } as const;
  return audited(() =>
    db.batch([
      auditStatement(db, admin, {
        action: "student.deactivate",
        targetType: "user",
        targetId: userTarget(userId, sql`deactivated_at is null`),
        summary: `Deactivated ${student.email} and ended their sessions`,
      }),
      db
        .update(users)
        .set({ deactivatedAt: sql`(unixepoch())`, updatedAt: sql`(unixepoch())` })
        .where(eq(users.id, userId)),
      db.delete(sessions).where(eq(sessions.userId, userId)),
    ]),
  );
}

/** Lets a deactivated account sign in again (its old sessions stay gone). */
export async function reactivateStudent(db: Database, admin: CurrentUser, student: StudentRef) {
  assertAdmin(admin);
  const userId = student.id;
  return audited(() =>
    db.batch([
      auditStatement(db, admin, {
        action: "student.reactivate",
        targetType: "user",
        targetId: userTarget(userId, sql`deactivated_at is not null`),
        summary: `Reactivated ${student.email}`,
      }),
      db
        .update(users)
        .set({ deactivatedAt: null, updatedAt: sql`(unixepoch())` })
        .where(eq(users.id, userId)),
    ]),
  );
}

/** What a progress reset deletes, in the words the confirmation and the audit entry use. */
export const RESET_REMOVES = [
  "lecture progress (completed lectures and saved video positions)",
  "lecture views",
  "quiz attempts",
  "interview practice cards",
] as const;

/**
 * Starts the student's learning record over: deletes their lecture progress, lecture views,
 * quiz attempts and interview practice cards. Notes, project submissions, certificates,
 * enrolments and discussion posts stay.
 */
export async function resetStudentProgress(db: Database, admin: CurrentUser, student: StudentRef) {
  assertAdmin(admin);
  const userId = student.id;
  return audited(() =>
    db.batch([
      auditStatement(db, admin, {
        action: "student.reset_progress",
        targetType: "user",
        targetId: userTarget(userId),
        summary: `Reset the progress of ${student.email}: deleted ${RESET_REMOVES.join(", ")}`,
      }),
      db.delete(lectureProgress).where(eq(lectureProgress.userId, userId)),
      db.delete(lectureViews).where(eq(lectureViews.userId, userId)),
      db.delete(quizAttempts).where(eq(quizAttempts.userId, userId)),
      db.delete(interviewCards).where(eq(interviewCards.userId, userId)),
    ]),
  );
}

export type PlacementResult =
  | { ok: true; moved: boolean }
  | { ok: false; reason: "no_such_cohort" | "full" | "already_in_cohort" | "no_such_user" };

/**
 * Puts the student in a cohort. With a current (active or pending) enrolment, that
 * enrolment moves to the new cohort and keeps its status; without one, an active admin
 * enrolment is created. Either way the cohort's capacity holds: the audit entry's target
 * states the free seat, so a full cohort writes nothing.
 */
export async function placeStudentInCohort(
  db: Database,
  admin: CurrentUser,
  student: StudentRef,
  cohortSlug: string,
): Promise<PlacementResult> {
  assertAdmin(admin);
  const userId = student.id;
  const [current] = await db
    .select({ id: enrollments.id, status: enrollments.status })
    .from(enrollments)
    .where(and(eq(enrollments.userId, userId), sql`${enrollments.status} in ${CURRENT}`))
    .orderBy(desc(enrollments.createdAt))
    .limit(1);
  const target = sql`(select id from cohorts where slug = ${cohortSlug})`;
  try {
    if (current) {
      await db.batch([
        auditStatement(db, admin, {
          action: "student.move_cohort",
          targetType: "user",
          targetId: auditTarget(sql`select enrollments.user_id from enrollments
            where enrollments.id = ${current.id} and enrollments.status in ${CURRENT}
              and enrollments.cohort_id is not ${target}
              and (select count(*) from enrollments as seat where seat.cohort_id = ${target}
                and seat.status in ${CURRENT}) < (select capacity from cohorts where slug = ${cohortSlug})`),
          summary: `Moved ${student.email} to cohort ${cohortSlug}, keeping their ${current.status} enrolment`,
        }),
        db
          .update(enrollments)
          .set({ cohortId: target, updatedAt: sql`(unixepoch())` })
          .where(eq(enrollments.id, current.id)),
      ]);
      return { ok: true, moved: true };
    }
    const enrollmentId = crypto.randomUUID();
    await db.batch([
      seatStatement(db, {
        enrollmentId,
        userId: { id: userId },
        cohortSlug,
        status: "active",
        source: "admin",
        openAt: null,
      }),
      auditStatement(db, admin, {
        action: "student.enrol",
        targetType: "user",
        targetId: auditTarget(sql`select user_id from enrollments where id = ${enrollmentId}`),
        summary: `Enrolled ${student.email} in cohort ${cohortSlug}`,
      }),
    ]);
    return { ok: true, moved: false };
  } catch (error) {
    if (!isAbortedByAuditTarget(error)) throw error;
  }
  const [why] = await db.all<{ user: number; cohort: number; member: number }>(sql`
    select exists (select 1 from users where id = ${userId}) as user,
      exists (select 1 from cohorts where slug = ${cohortSlug}) as cohort,
      exists (select 1 from enrollments where user_id = ${userId} and status in ${CURRENT}
        and cohort_id = ${target}) as member`);
  if (!why?.user) return { ok: false, reason: "no_such_user" };
  if (!why.cohort) return { ok: false, reason: "no_such_cohort" };
  if (why.member) return { ok: false, reason: "already_in_cohort" };
  return { ok: false, reason: "full" };
}
