import { and, asc, eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectureNotes, lectures, modules } from "../schema.ts";
import { loadReleaseSchedule, readableLectureSql, type ReleaseSchedule } from "./access.ts";

// Notes are private: every function takes the acting student and touches only their rows.

/**
 * Saves (or, when empty, deletes) the actor's note on a lecture they may read. One
 * statement each way, so concurrent autosaves converge on the last one. Nothing is saved on
 * a module the cohort's schedule has not released yet (deleting one's own note still works).
 */
export async function saveOwnNote(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  body: string,
  schedule?: ReleaseSchedule,
) {
  if (body.trim() === "") {
    await db.delete(lectureNotes).where(and(eq(lectureNotes.userId, actor.id), eq(lectureNotes.lectureId, lectureId)));
    return true;
  }
  const released = schedule ?? (await loadReleaseSchedule(db, actor));
  const result = await db.run(sql`
    insert into lecture_notes (user_id, lecture_id, body_markdown)
    select ${actor.id}, lectures.id, ${body}
    ${readableLectureSql(actor, lectureId, released)}
    on conflict (user_id, lecture_id) do update set body_markdown = excluded.body_markdown, updated_at = unixepoch()
  `);
  return result.meta.changes > 0;
}

/** All of the actor's notes in curriculum order, with where they belong. */
export async function listOwnNotes(db: Database, actor: CurrentUser) {
  return db
    .select({
      body: lectureNotes.bodyMarkdown,
      updatedAt: lectureNotes.updatedAt,
      lectureSlug: lectures.slug,
      lectureTitle: lectures.title,
      moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
      moduleTitle: sql<string>`${modules.title}`.as("module_title"),
    })
    .from(lectureNotes)
    .innerJoin(lectures, eq(lectureNotes.lectureId, lectures.id))
    .innerJoin(modules, eq(lectures.moduleId, modules.id))
    .where(eq(lectureNotes.userId, actor.id))
    .orderBy(asc(modules.position), asc(lectures.position));
}

export type OwnNote = Awaited<ReturnType<typeof listOwnNotes>>[number];

/** One markdown document with every note under its module and lecture. */
export function notesAsMarkdown(name: string, notes: OwnNote[], exportedAt: Date): string {
  const parts = [`# Notes of ${name}`, "", `Exported ${exportedAt.toISOString().slice(0, 10)} from DevOps School.`];
  let module = "";
  for (const note of notes) {
    if (note.moduleTitle !== module) {
      module = note.moduleTitle;
      parts.push("", `## ${module}`);
    }
    parts.push("", `### ${note.lectureTitle}`, "", note.body.trim());
  }
  return `${parts.join("\n")}\n`;
}
