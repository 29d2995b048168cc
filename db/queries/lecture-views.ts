import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { readableLectureSql, type Viewer } from "./access.ts";

/**
 * Records that a signed-in member opened a lecture page: the first visit adds the row,
 * later ones move `last_viewed_at`. One statement, written only when the lecture is
 * published and the viewer may read it (a free preview or full access), so locked, draft
 * or unknown lectures never count. Visitors are not recorded. Returns whether a row was written.
 * The page calls it after responding (waitUntil): analytics never slow a lecture down.
 */
export async function recordLectureView(db: Database, viewer: Viewer, lectureId: number): Promise<boolean> {
  if (!viewer) return false;
  const result = await db.run(sql`
    insert into lecture_views (user_id, lecture_id)
    select ${viewer.id}, lectures.id
    ${readableLectureSql(viewer, lectureId)}
    on conflict (user_id, lecture_id) do update set last_viewed_at = unixepoch()
  `);
  return result.meta.changes > 0;
}
