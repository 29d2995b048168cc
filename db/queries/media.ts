import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { lectureFiles, lectures, modules } from "../schema.ts";
import { fullAccessSql, loadReleaseSchedule, releasedModuleSql, type ReleaseSchedule, type Viewer } from "./access.ts";

/** Who may fetch a lecture's media: the same rule as the lecture's body. */
const accessColumns = (viewer: Viewer, schedule: ReleaseSchedule) => ({
  freePreview: lectures.freePreview,
  fullAccess: fullAccessSql(viewer).mapWith(Boolean),
  released: releasedModuleSql(schedule, sql`${modules.id}`).mapWith(Boolean),
});

/**
 * `notReleased` tells an enrolled student whose cohort has not reached the module apart
 * from one who is not enrolled.
 */
function accessOf(row: { freePreview: boolean; fullAccess: boolean; released: boolean }) {
  return {
    isPublic: row.freePreview,
    locked: !row.freePreview && (!row.fullAccess || !row.released),
    notReleased: !row.freePreview && row.fullAccess && !row.released,
  };
}

const publishedLecture = (moduleSlug: string, lectureSlug: string) =>
  and(
    eq(modules.slug, moduleSlug),
    eq(lectures.slug, lectureSlug),
    eq(modules.published, true),
    eq(lectures.published, true),
  );

/**
 * A lecture's video and whether the viewer may watch it: the same rule as the lecture's
 * body (free preview, or enrolled and the module released for the viewer's cohort).
 */
export async function getLectureVideo(
  db: Database,
  moduleSlug: string,
  lectureSlug: string,
  viewer: Viewer,
  now = new Date(),
) {
  const schedule = await loadReleaseSchedule(db, viewer, now);
  const [row] = await db
    .select({ key: lectures.videoAssetKey, ...accessColumns(viewer, schedule) })
    .from(lectures)
    .innerJoin(modules, eq(lectures.moduleId, modules.id))
    .where(publishedLecture(moduleSlug, lectureSlug))
    .limit(1);
  if (!row?.key) return null;
  return { key: row.key, ...accessOf(row) };
}

/** One of a lecture's files (slides, handouts) and whether the viewer may download it. */
export async function getLectureDownload(
  db: Database,
  moduleSlug: string,
  lectureSlug: string,
  fileId: string,
  viewer: Viewer,
  now = new Date(),
) {
  const schedule = await loadReleaseSchedule(db, viewer, now);
  const [row] = await db
    .select({
      key: lectureFiles.key,
      fileName: lectureFiles.fileName,
      contentType: lectureFiles.contentType,
      ...accessColumns(viewer, schedule),
    })
    .from(lectureFiles)
    .innerJoin(lectures, eq(lectureFiles.lectureId, lectures.id))
    .innerJoin(modules, eq(lectures.moduleId, modules.id))
    .where(and(eq(lectureFiles.id, fileId), publishedLecture(moduleSlug, lectureSlug)))
    .limit(1);
  if (!row) return null;
  return { key: row.key, fileName: row.fileName, contentType: row.contentType, ...accessOf(row) };
}
