import { sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";

/** Who is looking: a signed-in user, or nobody. */
export type Viewer = CurrentUser | null;

/**
 * SQL that is true when the viewer may read every lecture: admins, and students with an
 * active enrolment. Embedded in the queries that need it, so the decision costs no
 * extra round trip and is made where the data is read.
 */
export function fullAccessSql(viewer: Viewer): SQL<boolean> {
  if (!viewer) return sql<boolean>`0`;
  if (viewer.role === "admin") return sql<boolean>`1`;
  return sql<boolean>`exists (select 1 from enrollments where enrollments.user_id = ${viewer.id} and enrollments.status = 'active')`;
}

/** The viewer's id for joins on their own rows; matches nothing for visitors. */
export function viewerId(viewer: Viewer): string {
  return viewer?.id ?? "";
}

/**
 * `from … where …` that yields the lecture only if it is published and the actor may read
 * it. Writes select from this, so a student can only ever record work on lectures they can open.
 */
export function readableLectureSql(actor: Viewer, lectureId: number): SQL {
  return sql`from lectures join modules on modules.id = lectures.module_id
    where lectures.id = ${lectureId} and lectures.published = 1 and modules.published = 1
      and (lectures.free_preview = 1 or ${fullAccessSql(actor)})`;
}
