import { eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { certificates } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

/** What a certificate certifies: the whole programme, every published module. */
export const COURSE_TITLE = "DevOps Engineering Programme";

const publishedLectures = sql`lectures join modules on modules.id = lectures.module_id
  where lectures.published = 1 and modules.published = 1`;

/**
 * Issues the student's certificate if they have now earned it: an active enrolment, every
 * published lecture completed, every published module's quiz passed and every required
 * project approved. One statement, so it rides in the same D1 batch as the write that may
 * complete the programme (a lecture, a quiz attempt, a project review). Idempotent: a
 * student has at most one certificate, and a revoked one is not re-issued by this.
 */
export function issueCertificateIfEarned(db: Database, studentId: string) {
  const certificateId = crypto.randomUUID().replaceAll("-", "");
  return batchable(
    db,
    db.run(sql`
    insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
    select ${certificateId}, users.id, users.name, ${COURSE_TITLE}, (select count(*) from ${publishedLectures}), unixepoch()
    from users
    where users.id = ${studentId}
      and exists (select 1 from enrollments where enrollments.user_id = users.id and enrollments.status = 'active')
      and exists (select 1 from ${publishedLectures})
      and not exists (
        select 1 from ${publishedLectures} and not exists (
          select 1 from lecture_progress
          where lecture_progress.user_id = users.id and lecture_progress.lecture_id = lectures.id
            and lecture_progress.completed_at is not null))
      and not exists (
        select 1 from quizzes join modules on modules.id = quizzes.module_id
        where modules.published = 1 and not exists (
          select 1 from quiz_attempts
          where quiz_attempts.user_id = users.id and quiz_attempts.quiz_id = quizzes.id and quiz_attempts.passed = 1))
      and not exists (
        select 1 from projects join modules on modules.id = projects.module_id
        where modules.published = 1 and projects.required = 1 and not exists (
          select 1 from project_submissions
          where project_submissions.user_id = users.id and project_submissions.project_id = projects.id
            and project_submissions.status = 'approved'))
    on conflict (user_id) do nothing
  `),
  );
}

/** Certificate ids are 32 lowercase hex characters (122 random bits). */
export const CERTIFICATE_ID = /^[0-9a-f]{32}$/;

/** What the public verification page shows: nothing beyond what the certificate states. */
export function getCertificateForVerification(db: Database, certificateId: string) {
  return db.query.certificates.findFirst({
    columns: {
      id: true,
      recipientName: true,
      courseTitle: true,
      lectureCount: true,
      issuedAt: true,
      revokedAt: true,
      revokedReason: true,
    },
    where: (table, { eq }) => eq(table.id, certificateId),
  });
}

/**
 * Revokes a certificate (admins only), in one batch with its audit entry. Returns false
 * when it was already revoked or does not exist: then nothing is written.
 */
export async function revokeCertificate(db: Database, actor: CurrentUser, certificateId: string, reason: string) {
  assertAdmin(actor);
  const certificate = await db
    .select({ recipientName: certificates.recipientName, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(eq(certificates.id, certificateId))
    .get();
  if (!certificate || certificate.revokedAt) return false;
  const live = sql`id = ${certificateId} and revoked_at is null`;
  try {
    await db.batch([
      auditStatement(db, actor, {
        action: "certificate.revoke",
        targetType: "certificate",
        targetId: auditTarget(sql`select id from certificates where ${live}`),
        summary: `Revoked ${certificate.recipientName}'s certificate: ${reason}`,
      }),
      batchable(
        db,
        db.run(sql`update certificates set revoked_at = unixepoch(), revoked_reason = ${reason} where ${live}`),
      ),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}

/**
 * How far the acting student is along each requirement of issueCertificateIfEarned, and their
 * certificate if issued. One row; batchable (the dashboard reads it with everything else).
 */
export function certificateProgress(db: Database, actor: CurrentUser) {
  const count = (name: string, query: ReturnType<typeof sql>) => sql<number>`(${query})`.mapWith(Number).as(name);
  return db
    .select({
      lecturesTotal: count("lectures_total", sql`select count(*) from ${publishedLectures}`),
      lecturesDone: count(
        "lectures_done",
        sql`select count(*) from ${publishedLectures} and exists (
          select 1 from lecture_progress where lecture_progress.user_id = ${actor.id}
            and lecture_progress.lecture_id = lectures.id and lecture_progress.completed_at is not null)`,
      ),
      quizzesTotal: count(
        "quizzes_total",
        sql`select count(*) from quizzes join modules on modules.id = quizzes.module_id where modules.published = 1`,
      ),
      quizzesPassed: count(
        "quizzes_passed",
        sql`select count(*) from quizzes join modules on modules.id = quizzes.module_id
          where modules.published = 1 and exists (select 1 from quiz_attempts where quiz_attempts.quiz_id = quizzes.id
            and quiz_attempts.user_id = ${actor.id} and quiz_attempts.passed = 1)`,
      ),
      projectsRequired: count(
        "projects_required",
        sql`select count(*) from projects join modules on modules.id = projects.module_id
          where modules.published = 1 and projects.required = 1`,
      ),
      projectsApproved: count(
        "projects_approved",
        sql`select count(*) from projects join modules on modules.id = projects.module_id
          where modules.published = 1 and projects.required = 1 and exists (select 1 from project_submissions
            where project_submissions.project_id = projects.id and project_submissions.user_id = ${actor.id}
              and project_submissions.status = 'approved')`,
      ),
      certificateId: sql<string | null>`(select id from certificates where certificates.user_id = ${actor.id})`.as(
        "certificate_id",
      ),
      certificateRevoked: sql<boolean>`exists (select 1 from certificates
        where certificates.user_id = ${actor.id} and certificates.revoked_at is not null)`
        .mapWith(Boolean)
        .as("certificate_revoked"),
    })
    .from(sql`(select 1)`);
}
