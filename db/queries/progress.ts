import { sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { loadReleaseSchedule, readableLectureSql, type ReleaseSchedule } from "./access.ts";
import { issueCertificateIfEarned } from "./certificates.ts";

/**
 * Marks a lecture complete or not for the acting student. One statement: the row is
 * keyed by (user, lecture), so double clicks and two tabs converge on one row, and the
 * write only happens if the student may read the lecture. Returns false otherwise.
 * Completing the last lecture may complete the programme: the certificate check rides in
 * the same batch. A module the cohort's schedule has not released yet takes no writes;
 * callers that already hold the actor's schedule pass it.
 */
export async function setLectureCompleted(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  completed: boolean,
  schedule?: ReleaseSchedule,
) {
  const released = schedule ?? (await loadReleaseSchedule(db, actor));
  const completedAt = completed ? sql`unixepoch()` : sql`null`;
  const [result] = await db.batch([
    batchable(
      db,
      db.run(sql`
    insert into lecture_progress (user_id, lecture_id, completed_at)
    select ${actor.id}, lectures.id, ${completedAt}
    ${readableLectureSql(actor, lectureId, released)}
    on conflict (user_id, lecture_id) do update set
      completed_at = case when ${completed ? 1 : 0} = 1 then coalesce(lecture_progress.completed_at, excluded.completed_at) else null end,
      updated_at = unixepoch()
  `),
    ),
    issueCertificateIfEarned(db, actor.id),
  ]);
  return result.meta.changes > 0;
}

/** Remembers where the acting student is in a lecture's video (whole seconds), once its module is released. */
export async function saveVideoPosition(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  seconds: number,
  schedule?: ReleaseSchedule,
) {
  const released = schedule ?? (await loadReleaseSchedule(db, actor));
  const result = await db.run(sql`
    insert into lecture_progress (user_id, lecture_id, position_seconds)
    select ${actor.id}, lectures.id, ${seconds}
    ${readableLectureSql(actor, lectureId, released)}
    on conflict (user_id, lecture_id) do update set
      position_seconds = excluded.position_seconds,
      updated_at = unixepoch()
  `);
  return result.meta.changes > 0;
}
