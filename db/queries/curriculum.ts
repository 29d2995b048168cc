import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { TocEntry } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { lectureFiles, lectureNotes, lectureProgress, lectures, modules, type SubmissionStatus } from "../schema.ts";
import {
  fullAccessSql,
  lectureOpenSql,
  loadReleaseSchedule,
  viewerId,
  type ModuleOpening,
  type Viewer,
} from "./access.ts";

// Public curriculum reads: published modules and lectures only. Every page is one D1
// round trip: related reads go out together in a batch.

const isPublished = and(eq(modules.published, true), eq(lectures.published, true));

// Inside db.batch, D1 returns rows keyed by column name, so a joined module column
// would overwrite the lecture column of the same name: give module columns aliases.
const moduleSlugColumn = sql<string>`${modules.slug}`.as("module_slug");
const moduleTitleColumn = sql<string>`${modules.title}`.as("module_title");

export function listPublishedModules(db: Database) {
  return db
    .select({
      slug: modules.slug,
      title: modules.title,
      summary: modules.summary,
      position: modules.position,
      lectureCount: sql<number>`count(${lectures.id})`.mapWith(Number),
      totalMinutes: sql<number>`coalesce(sum(${lectures.durationMinutes}), 0)`.mapWith(Number),
      previewCount: sql<number>`coalesce(sum(${lectures.freePreview}), 0)`.mapWith(Number),
    })
    .from(modules)
    .leftJoin(lectures, and(eq(lectures.moduleId, modules.id), eq(lectures.published, true)))
    .where(eq(modules.published, true))
    .groupBy(modules.id)
    .orderBy(asc(modules.position));
}

export type ModuleSummary = Awaited<ReturnType<typeof listPublishedModules>>[number];

export function curriculumTotals(summaries: ModuleSummary[]) {
  return {
    modules: summaries.length,
    lectures: summaries.reduce((sum, module) => sum + module.lectureCount, 0),
    minutes: summaries.reduce((sum, module) => sum + module.totalMinutes, 0),
    previews: summaries.reduce((sum, module) => sum + module.previewCount, 0),
  };
}

const lectureListing = {
  slug: lectures.slug,
  title: lectures.title,
  summary: lectures.summary,
  durationMinutes: lectures.durationMinutes,
  position: lectures.position,
  freePreview: lectures.freePreview,
  hasVideo: sql<boolean>`${lectures.videoAssetKey} is not null`.mapWith(Boolean),
  /** Whether the viewer finished it (always false for visitors). */
  completed: sql<boolean>`${lectureProgress.completedAt} is not null`.mapWith(Boolean),
};

export type LectureListing = {
  slug: string;
  title: string;
  summary: string;
  durationMinutes: number;
  position: number;
  freePreview: boolean;
  hasVideo: boolean;
  completed: boolean;
};

/** Joins the viewer's own progress row onto each lecture. */
const ownProgress = (viewer: Viewer) =>
  and(eq(lectureProgress.lectureId, lectures.id), eq(lectureProgress.userId, viewerId(viewer)));

/**
 * The module's quiz and project, with how the viewer stands on each. Columns are written
 * out in full for the same reason as `number` below.
 */
function moduleWorkSql(viewer: Viewer) {
  const userId = viewerId(viewer);
  return {
    quizTitle: sql<string | null>`(select title from quizzes where quizzes.module_id = modules.id)`.as("quiz_title"),
    quizQuestionCount: sql<number>`(select count(*) from quiz_questions
      join quizzes on quizzes.id = quiz_questions.quiz_id where quizzes.module_id = modules.id)`
      .mapWith(Number)
      .as("quiz_question_count"),
    quizPassPercent: sql<number | null>`(select pass_percent from quizzes where quizzes.module_id = modules.id)`.as(
      "quiz_pass_percent",
    ),
    quizBestScore: sql<number | null>`(select max(score_percent) from quiz_attempts
      join quizzes on quizzes.id = quiz_attempts.quiz_id
      where quizzes.module_id = modules.id and quiz_attempts.user_id = ${userId})`.as("quiz_best_score"),
    quizPassed: sql<boolean>`exists (select 1 from quiz_attempts join quizzes on quizzes.id = quiz_attempts.quiz_id
      where quizzes.module_id = modules.id and quiz_attempts.user_id = ${userId} and quiz_attempts.passed = 1)`
      .mapWith(Boolean)
      .as("quiz_passed"),
    projectTitle: sql<string | null>`(select title from projects where projects.module_id = modules.id)`.as(
      "project_title",
    ),
    projectSummary: sql<string | null>`(select summary from projects where projects.module_id = modules.id)`.as(
      "project_summary",
    ),
    projectRequired: sql<boolean>`coalesce((select required from projects where projects.module_id = modules.id), 0)`
      .mapWith(Boolean)
      .as("project_required"),
    projectStatus: sql<SubmissionStatus | null>`(select project_submissions.status from project_submissions
      join projects on projects.id = project_submissions.project_id
      where projects.module_id = modules.id and project_submissions.user_id = ${userId}
      order by project_submissions.created_at desc, project_submissions.rowid desc limit 1)`.as("project_status"),
  };
}

/** When a module the viewer is otherwise entitled to opens, as plain data for the page. */
function openingData(opening: ModuleOpening | undefined) {
  return opening ? { opensAt: opening.opensAt.toISOString(), timezone: opening.timezone } : null;
}

/**
 * A module, its lectures and the viewer's standing. `opening` is set when the viewer is
 * enrolled but their cohort's drip schedule has not released the module yet.
 */
export async function getPublishedModule(db: Database, moduleSlug: string, viewer: Viewer, now = new Date()) {
  const schedule = await loadReleaseSchedule(db, viewer, now);
  const [moduleRows, lectureRows, accessRows] = await db.batch([
    db
      .select({
        id: modules.id,
        slug: modules.slug,
        title: modules.title,
        summary: modules.summary,
        overviewHtml: modules.overviewHtml,
        position: modules.position,
        /** 1-based place among published modules, as the curriculum numbers them. */
        // Written out in full: drizzle leaves columns unqualified in single-table selects,
        // which inside this subquery would mean `earlier.position`.
        number: sql<number>`(select count(*) from modules as earlier
          where earlier.published = 1 and earlier.position <= modules.position)`
          .mapWith(Number)
          .as("number"),
        ...moduleWorkSql(viewer),
      })
      .from(modules)
      .where(and(eq(modules.slug, moduleSlug), eq(modules.published, true)))
      .limit(1),
    db
      .select(lectureListing)
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .leftJoin(lectureProgress, ownProgress(viewer))
      .where(and(eq(modules.slug, moduleSlug), isPublished))
      .orderBy(asc(lectures.position)),
    db.select({ fullAccess: fullAccessSql(viewer).mapWith(Boolean).as("full_access") }).from(sql`(select 1)`),
  ]);
  const module = moduleRows[0];
  if (!module) return null;
  const fullAccess = accessRows[0]?.fullAccess ?? false;
  return {
    module,
    lectures: lectureRows satisfies LectureListing[],
    fullAccess,
    opening: fullAccess ? openingData(schedule.upcoming.get(module.id)) : null,
  };
}

export type ModuleWithLectures = NonNullable<Awaited<ReturnType<typeof getPublishedModule>>>;

export type LectureLink = {
  moduleSlug: string;
  moduleTitle: string;
  lectureSlug: string;
  lectureTitle: string;
};

const lectureLink = {
  moduleSlug: moduleSlugColumn,
  moduleTitle: moduleTitleColumn,
  lectureSlug: lectures.slug,
  lectureTitle: lectures.title,
};

/**
 * Everything the lecture page shows, in one round trip: the lecture (its body only if
 * the viewer may read it), the viewer's progress, its module's lecture list (outline and
 * previous/next within the module), and the neighbouring modules' last and first
 * lectures (previous/next across modules), and the lecture's downloads (its files other
 * than the video, read only when the viewer may read the body). A module the viewer's
 * cohort has not reached yet is locked like one they are not enrolled in, and `opening`
 * says when it opens.
 * Signed-in students pay one more round trip first, for their drip schedule.
 */
export async function getPublishedLecture(
  db: Database,
  moduleSlug: string,
  lectureSlug: string,
  viewer: Viewer,
  now = new Date(),
) {
  const schedule = await loadReleaseSchedule(db, viewer, now);
  const modulePosition = db.select({ position: modules.position }).from(modules).where(eq(modules.slug, moduleSlug));

  const [lectureRows, siblingRows, previousModuleRows, nextModuleRows, fileRows] = await db.batch([
    db
      .select({
        id: lectures.id,
        slug: lectures.slug,
        title: lectures.title,
        summary: lectures.summary,
        bodyHtml: lectures.bodyHtml,
        tocJson: lectures.tocJson,
        durationMinutes: lectures.durationMinutes,
        position: lectures.position,
        freePreview: lectures.freePreview,
        videoAssetKey: lectures.videoAssetKey,
        updatedAt: lectures.updatedAt,
        moduleSlug: moduleSlugColumn,
        moduleTitle: moduleTitleColumn,
        positionSeconds: sql<number>`coalesce(${lectureProgress.positionSeconds}, 0)`
          .mapWith(Number)
          .as("position_seconds"),
        completed: sql<boolean>`${lectureProgress.completedAt} is not null`.mapWith(Boolean).as("completed"),
        note: sql<string>`coalesce(${lectureNotes.bodyMarkdown}, '')`.as("note"),
        moduleId: sql<number>`${modules.id}`.as("module_id_of_lecture"),
        open: lectureOpenSql(viewer, schedule).mapWith(Boolean).as("open"),
      })
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .leftJoin(lectureProgress, ownProgress(viewer))
      .leftJoin(lectureNotes, and(eq(lectureNotes.lectureId, lectures.id), eq(lectureNotes.userId, viewerId(viewer))))
      .where(and(eq(modules.slug, moduleSlug), eq(lectures.slug, lectureSlug), isPublished))
      .limit(1),
    db
      .select(lectureListing)
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .leftJoin(lectureProgress, ownProgress(viewer))
      .where(and(eq(modules.slug, moduleSlug), isPublished))
      .orderBy(asc(lectures.position)),
    db
      .select(lectureLink)
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .where(and(isPublished, lt(modules.position, modulePosition)))
      .orderBy(desc(modules.position), desc(lectures.position))
      .limit(1),
    db
      .select(lectureLink)
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .where(and(isPublished, gt(modules.position, modulePosition)))
      .orderBy(asc(modules.position), asc(lectures.position))
      .limit(1),
    db
      .select({
        id: lectureFiles.id,
        fileName: lectureFiles.fileName,
        contentType: lectureFiles.contentType,
        size: lectureFiles.size,
      })
      .from(lectureFiles)
      .innerJoin(lectures, eq(lectureFiles.lectureId, lectures.id))
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .where(
        and(
          eq(modules.slug, moduleSlug),
          eq(lectures.slug, lectureSlug),
          isPublished,
          lectureOpenSql(viewer, schedule),
          or(isNull(lectures.videoAssetKey), ne(lectureFiles.key, lectures.videoAssetKey)),
        ),
      )
      .orderBy(asc(lectureFiles.fileName)),
  ]);

  const row = lectureRows[0];
  if (!row) return null;
  const { tocJson, bodyHtml, open, moduleId, videoAssetKey, ...fields } = row;
  // A locked lecture shows what it contains (title, summary, outline), never its body.
  const locked = !open;
  const lecture = {
    ...fields,
    locked,
    opening: locked ? openingData(schedule.upcoming.get(moduleId)) : null,
    note: locked ? "" : fields.note,
    bodyHtml: locked ? null : bodyHtml,
    hasVideo: !locked && videoAssetKey !== null,
    toc: JSON.parse(tocJson) as TocEntry[],
    files: locked ? [] : fileRows,
  };
  const siblings: LectureListing[] = siblingRows;
  const index = siblings.findIndex((sibling) => sibling.slug === lecture.slug);
  const inModule = (sibling: LectureListing | undefined): LectureLink | null =>
    sibling
      ? {
          moduleSlug: lecture.moduleSlug,
          moduleTitle: lecture.moduleTitle,
          lectureSlug: sibling.slug,
          lectureTitle: sibling.title,
        }
      : null;

  return {
    lecture,
    outline: siblings,
    previous: inModule(siblings[index - 1]) ?? previousModuleRows[0] ?? null,
    next: inModule(siblings[index + 1]) ?? nextModuleRows[0] ?? null,
  };
}

export type LecturePage = NonNullable<Awaited<ReturnType<typeof getPublishedLecture>>>;
