import { and, eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { lectures, modules } from "../schema.ts";
import { fullAccessSql, type Viewer } from "./access.ts";

/** A lecture's video and whether the viewer may watch it, in one query. */
export async function getLectureVideo(db: Database, moduleSlug: string, lectureSlug: string, viewer: Viewer) {
  const [row] = await db
    .select({
      key: lectures.videoAssetKey,
      freePreview: lectures.freePreview,
      fullAccess: fullAccessSql(viewer).mapWith(Boolean),
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
  return { key: row.key, isPublic: row.freePreview, locked: !row.freePreview && !row.fullAccess };
}
