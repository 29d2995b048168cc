import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { lectures, modules } from "../schema.ts";
import { fullAccessSql, loadReleaseSchedule, releasedModuleSql, type Viewer } from "./access.ts";

/**
 * A lecture's video and whether the viewer may watch it: the same rule as the lecture's
 * body (free preview, or enrolled and the module released for the viewer's cohort).
 * `notReleased` tells an enrolled student apart from one who is not enrolled.
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
    .select({
      key: lectures.videoAssetKey,
      freePreview: lectures.freePreview,
      fullAccess: fullAccessSql(viewer).mapWith(Boolean),
      released: releasedModuleSql(schedule, sql`${modules.id}`).mapWith(Boolean),
    })
    .from(lectures)
    .innerJoin(modules, eq(lectures.moduleId, modules.id))
    .where(
      and(
        eq(modules.slug, moduleSlug),
        eq(lectures.slug, lectureSlug),
        eq(modules.published, true),
        eq(lectures.published, true),
      ),
    )
    .limit(1);
  if (!row?.key) return null;
  const notReleased = !row.freePreview && row.fullAccess && !row.released;
  return {
    key: row.key,
    isPublic: row.freePreview,
    locked: !row.freePreview && (!row.fullAccess || !row.released),
    notReleased,
  };
}
