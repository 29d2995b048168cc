import { and, desc, eq, lt, lte, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectures, lectureVersions, modules, users } from "../schema.ts";
import type { WriteResult } from "./admin-content.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { lectureTextColumns, lectureVersionStatement, type LectureDraft } from "./lecture-writes.ts";

// A lecture's version history: every save left a snapshot; restoring one writes a new
// version, so the history only ever grows.

const moduleTitleColumn = sql<string>`${modules.title}`.as("module_title");
const moduleIdColumn = sql<number>`${modules.id}`.as("module_id_of_lecture");

const fullVersion = {
  id: lectureVersions.id,
  title: lectureVersions.title,
  slug: lectureVersions.slug,
  summary: lectureVersions.summary,
  bodyMarkdown: lectureVersions.bodyMarkdown,
  durationMinutes: lectureVersions.durationMinutes,
  published: lectureVersions.published,
  freePreview: lectureVersions.freePreview,
  note: lectureVersions.note,
  createdAt: lectureVersions.createdAt,
};

/**
 * The history page in one round trip: the lecture, every version's metadata (newest first,
 * with who saved it), the chosen version in full (the newest when none is chosen) and the
 * version before it, to show what the chosen one changed.
 */
export async function getLectureHistory(db: Database, actor: CurrentUser, lectureId: number, versionId?: number) {
  assertAdmin(actor);
  const chosenId =
    versionId ?? sql`(select max(id) from lecture_versions where lecture_versions.lecture_id = ${lectureId})`;
  const [lectureRows, versionRows, chosenRows, previousRows] = await db.batch([
    db
      .select({
        id: lectures.id,
        title: lectures.title,
        slug: lectures.slug,
        moduleId: moduleIdColumn,
        moduleTitle: moduleTitleColumn,
      })
      .from(lectures)
      .innerJoin(modules, eq(modules.id, lectures.moduleId))
      .where(eq(lectures.id, lectureId))
      .limit(1),
    db
      .select({
        id: lectureVersions.id,
        title: lectureVersions.title,
        published: lectureVersions.published,
        note: lectureVersions.note,
        createdAt: lectureVersions.createdAt,
        authorName: users.name,
        authorEmail: users.email,
        bodyLength: sql<number>`length(${lectureVersions.bodyMarkdown})`.mapWith(Number).as("body_length"),
      })
      .from(lectureVersions)
      .leftJoin(users, eq(users.id, lectureVersions.authorId))
      .where(eq(lectureVersions.lectureId, lectureId))
      .orderBy(desc(lectureVersions.id)),
    db
      .select(fullVersion)
      .from(lectureVersions)
      .where(and(eq(lectureVersions.lectureId, lectureId), eq(lectureVersions.id, chosenId)))
      .limit(1),
    db
      .select(fullVersion)
      .from(lectureVersions)
      .where(and(eq(lectureVersions.lectureId, lectureId), lt(lectureVersions.id, chosenId)))
      .orderBy(desc(lectureVersions.id))
      .limit(1),
  ]);
  const lecture = lectureRows[0];
  if (!lecture) return null;
  // Versions are numbered from 1, oldest first, as the "Restored version N" notes say.
  const versions = versionRows.map((version, index) => ({ ...version, number: versionRows.length - index }));
  const numberOf = (id: number | undefined) => versions.find((version) => version.id === id)?.number ?? null;
  const chosen = chosenRows[0];
  const previous = previousRows[0];
  return {
    lecture,
    versions,
    chosen: chosen ? { ...chosen, number: numberOf(chosen.id)! } : null,
    previous: previous ? { ...previous, number: numberOf(previous.id)! } : null,
  };
}

export type LectureHistory = NonNullable<Awaited<ReturnType<typeof getLectureHistory>>>;

/**
 * Brings back a version's text: title, summary, body, duration and free preview. The slug
 * and the published state stay as they are now (they decide where and whether students
 * see it, which restoring old text should not change). Writes a new version.
 */
export async function restoreLectureVersion(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  versionId: number,
): Promise<WriteResult<{ number: number }>> {
  assertAdmin(actor);
  const [currentRows, versionRows, numberRows] = await db.batch([
    db
      .select({ slug: lectures.slug, published: lectures.published })
      .from(lectures)
      .where(eq(lectures.id, lectureId))
      .limit(1),
    db
      .select(fullVersion)
      .from(lectureVersions)
      .where(and(eq(lectureVersions.id, versionId), eq(lectureVersions.lectureId, lectureId)))
      .limit(1),
    db
      .select({ number: sql<number>`count(*)`.mapWith(Number) })
      .from(lectureVersions)
      .where(and(eq(lectureVersions.lectureId, lectureId), lte(lectureVersions.id, versionId))),
  ]);
  const current = currentRows[0];
  const version = versionRows[0];
  if (!current || !version) return { ok: false, reason: "not_found" };
  const number = numberRows[0]?.number ?? 0;
  const draft: LectureDraft = {
    title: version.title,
    slug: current.slug,
    summary: version.summary,
    bodyMarkdown: version.bodyMarkdown,
    durationMinutes: version.durationMinutes,
    published: current.published,
    freePreview: version.freePreview,
  };
  const note = `Restored version ${number}`;
  await db.batch([
    db
      .update(lectures)
      .set({ ...lectureTextColumns(draft), updatedAt: sql`(unixepoch())` })
      .where(eq(lectures.id, lectureId)),
    lectureVersionStatement(db, actor, lectureId, draft, note),
    auditStatement(db, actor, {
      action: "lecture.restore",
      targetType: "lecture",
      targetId: lectureId,
      summary: `${note} of lecture "${draft.title}"`,
    }),
  ]);
  return { ok: true, number };
}
