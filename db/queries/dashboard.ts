import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { enrollments, lectureProgress, lectures, modules, type SubmissionStatus } from "../schema.ts";
import { cohortFromRows, fullAccessSql, releaseScheduleQueries, scheduleFromRows } from "./access.ts";
import { certificateProgress } from "./certificates.ts";
import { runningCohortsQuery, upcomingCohortsQuery } from "./cohorts.ts";
import { practiceSummaryForDashboard } from "./interview.ts";
import { listProjectsWithStatus } from "./projects.ts";
import { quizSummaryForDashboard } from "./quizzes.ts";
import { listPublishedModules } from "./curriculum.ts";

export type ModuleProgress = {
  slug: string;
  title: string;
  lectureCount: number;
  completedCount: number;
  percent: number;
  /** When the module opens on the student's cohort schedule (ISO), or null when it is open. */
  opensAt: string | null;
  quiz: { title: string; passPercent: number; bestScore: number | null; passed: boolean } | null;
  project: { title: string; required: boolean; status: SubmissionStatus | "none" } | null;
};

export type ContinueTarget = { moduleSlug: string; lectureSlug: string; lectureTitle: string; moduleTitle: string };

/** A cohort as the page shows it: instants as ISO strings. */
function cohortData(cohort: { slug: string; name: string; timezone: string; startsAt: Date; endsAt: Date }) {
  return {
    slug: cohort.slug,
    name: cohort.name,
    timezone: cohort.timezone,
    startsAt: cohort.startsAt.toISOString(),
    endsAt: cohort.endsAt.toISOString(),
  };
}

/**
 * The student's dashboard in one round trip, however long the course: modules, the
 * ordered lecture list, the student's own progress rows and enrolment, quiz results,
 * project statuses, interview cards due, the certificate, the student's cohort and drip
 * schedule, and the cohorts for the countdown.
 */
export async function getDashboard(db: Database, actor: CurrentUser, now = new Date()) {
  const [
    moduleRows,
    lectureRows,
    progressRows,
    enrollmentRows,
    accessRows,
    certificateRows,
    quizRows,
    projectRows,
    practiceRows,
    scheduleEnrollmentRows,
    scheduleModuleRows,
    overrideRows,
    upcomingCohortRows,
    runningCohortRows,
  ] = await db.batch([
    listPublishedModules(db),
    db
      .select({
        id: lectures.id,
        slug: lectures.slug,
        title: lectures.title,
        freePreview: lectures.freePreview,
        moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
        moduleTitle: sql<string>`${modules.title}`.as("module_title"),
        moduleId: sql<number>`${modules.id}`.as("module_id"),
      })
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .where(and(eq(modules.published, true), eq(lectures.published, true)))
      .orderBy(asc(modules.position), asc(lectures.position)),
    db
      .select({
        lectureId: lectureProgress.lectureId,
        completed: sql<boolean>`${lectureProgress.completedAt} is not null`.mapWith(Boolean),
        updatedAt: lectureProgress.updatedAt,
      })
      .from(lectureProgress)
      .where(eq(lectureProgress.userId, actor.id))
      .orderBy(desc(lectureProgress.updatedAt)),
    // The latest active enrolment if any, else the latest one.
    db
      .select({ status: enrollments.status, since: enrollments.createdAt })
      .from(enrollments)
      .where(eq(enrollments.userId, actor.id))
      .orderBy(sql`${enrollments.status} = 'active' desc`, desc(enrollments.createdAt))
      .limit(1),
    // The same access decision the lecture queries make, so the two can never disagree.
    db.select({ fullAccess: fullAccessSql(actor).mapWith(Boolean).as("full_access") }).from(sql`(select 1)`),
    certificateProgress(db, actor),
    quizSummaryForDashboard(db, actor),
    listProjectsWithStatus(db, actor),
    practiceSummaryForDashboard(db, actor, now),
    ...releaseScheduleQueries(db, actor),
    upcomingCohortsQuery(db, now),
    runningCohortsQuery(db, now),
  ]);

  const completed = new Set(progressRows.filter((row) => row.completed).map((row) => row.lectureId));
  const enrollment = enrollmentRows[0] ?? null;
  const fullAccess = accessRows[0]?.fullAccess ?? false;
  const scheduleRows = [scheduleEnrollmentRows, scheduleModuleRows, overrideRows] as const;
  // Admins see everything; students follow their cohort's drip schedule, if they have one.
  const schedule = actor.role === "admin" ? null : scheduleFromRows(scheduleRows, now);
  const released = (moduleId: number) => !schedule?.released || schedule.released.includes(moduleId);
  const opensAt = (moduleId: number) => schedule?.upcoming.get(moduleId)?.opensAt.toISOString() ?? null;
  const ownCohort = actor.role === "admin" ? null : cohortFromRows(scheduleRows);
  const nextRelease = scheduleModuleRows
    .map((module) => ({ slug: module.slug, title: module.title, opensAt: opensAt(module.id) }))
    .filter((module): module is { slug: string; title: string; opensAt: string } => module.opensAt !== null)
    .sort((a, b) => a.opensAt.localeCompare(b.opensAt))[0];

  const modulesProgress: ModuleProgress[] = moduleRows.map((module) => {
    const inModule = lectureRows.filter((lecture) => lecture.moduleSlug === module.slug);
    const done = inModule.filter((lecture) => completed.has(lecture.id)).length;
    const quiz = quizRows.find((row) => row.moduleSlug === module.slug);
    const project = projectRows.find((row) => row.moduleSlug === module.slug);
    const moduleId = scheduleModuleRows.find((row) => row.slug === module.slug)?.id;
    return {
      slug: module.slug,
      title: module.title,
      opensAt: moduleId === undefined ? null : opensAt(moduleId),
      lectureCount: inModule.length,
      completedCount: done,
      percent: inModule.length ? Math.round((done / inModule.length) * 100) : 0,
      quiz: quiz
        ? { title: quiz.quizTitle, passPercent: quiz.passPercent, bestScore: quiz.bestScore, passed: quiz.passed }
        : null,
      project: project ? { title: project.projectTitle, required: project.required, status: project.status } : null,
    };
  });

  return {
    enrollment,
    fullAccess,
    now: now.toISOString(),
    /** The student's cohort, its standing and the next module it opens. */
    cohort: ownCohort
      ? { ...cohortData(ownCohort.cohort), active: ownCohort.active, nextRelease: nextRelease ?? null }
      : null,
    /** Every cohort, for the countdown shown to students without one. */
    cohorts: { upcoming: upcomingCohortRows.map(cohortData), running: runningCohortRows.map(cohortData) },
    modules: modulesProgress,
    totals: {
      lectures: lectureRows.length,
      completed: completed.size,
      percent: lectureRows.length ? Math.round((completed.size / lectureRows.length) * 100) : 0,
    },
    continueAt: continueTarget(
      lectureRows,
      progressRows,
      completed,
      (lecture) => lecture.freePreview || (fullAccess && released(lecture.moduleId)),
    ),
    started: progressRows.length > 0,
    certificate: certificateRows[0]!,
    practice: {
      topics: practiceRows.map(({ slug, title, due, new: unseen, total }) => ({
        slug,
        title,
        due,
        new: unseen,
        total,
      })),
      due: practiceRows.reduce((sum, topic) => sum + topic.due, 0),
      new: practiceRows.reduce((sum, topic) => sum + topic.new, 0),
    },
  };
}

/**
 * Where to pick up: the lecture last touched if unfinished, otherwise the next unfinished
 * one after it (wrapping to the first unfinished); the first lecture for a new student.
 * Students are only sent to lectures they can open.
 */
function continueTarget<
  Lecture extends { id: number; slug: string; title: string; moduleSlug: string; moduleTitle: string },
>(
  ordered: Lecture[],
  progress: Array<{ lectureId: number }>,
  completed: Set<number>,
  canOpen: (lecture: Lecture) => boolean,
): ContinueTarget | null {
  const open = ordered.filter(canOpen);
  const lastIndex = progress[0] ? ordered.findIndex((lecture) => lecture.id === progress[0]!.lectureId) : -1;
  const after = lastIndex >= 0 ? [...ordered.slice(lastIndex), ...ordered.slice(0, lastIndex)] : ordered;
  const target = after.find((lecture) => !completed.has(lecture.id) && open.includes(lecture));
  return target
    ? {
        moduleSlug: target.moduleSlug,
        lectureSlug: target.slug,
        lectureTitle: target.title,
        moduleTitle: target.moduleTitle,
      }
    : null;
}

export type Dashboard = Awaited<ReturnType<typeof getDashboard>>;
