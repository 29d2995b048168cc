import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { lectureFiles, lectures, lectureVersions, modules } from "../schema.ts";
import {
  isUniqueViolation,
  lectureRecordColumns,
  renumber,
  swapped,
  type Direction,
  type WriteResult,
} from "./admin-content.ts";
import { RESERVED_LECTURE_SLUGS } from "./admin-content-limits.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { lectureTextColumns, lectureVersionStatement, type LectureDraft } from "./lecture-writes.ts";

// The lecture editor's reads and writes. A save writes the lecture, a version snapshot and
// an audit entry in one batch: the history never misses a state the lecture was in.

// Inside db.batch rows come back keyed by column name: joined module columns get aliases.
const moduleIdColumn = sql<number>`${modules.id}`.as("module_id_of_lecture");
const moduleSlugColumn = sql<string>`${modules.slug}`.as("module_slug");
const moduleTitleColumn = sql<string>`${modules.title}`.as("module_title");
const modulePublishedColumn = sql<boolean>`${modules.published}`.mapWith(Boolean).as("module_published");

/** Another lecture of the same module with this slug (lecture slugs are unique within a module). */
const slugTakenIn = (moduleId: number, slug: string, exceptId?: number) =>
  and(
    eq(lectures.moduleId, moduleId),
    eq(lectures.slug, slug),
    exceptId === undefined ? undefined : ne(lectures.id, exceptId),
  );

const isReserved = (slug: string) => RESERVED_LECTURE_SLUGS.includes(slug);

/** The module a new lecture goes into, for the "new lecture" page. */
export async function getModuleForNewLecture(db: Database, actor: CurrentUser, moduleId: number) {
  assertAdmin(actor);
  const [module] = await db
    .select({ id: modules.id, slug: modules.slug, title: modules.title, published: modules.published })
    .from(modules)
    .where(eq(modules.id, moduleId))
    .limit(1);
  return module ?? null;
}

/**
 * Everything the editor shows, in one round trip: the lecture with its module, every
 * module (to move it), what deleting it would take along, and its newest version's id.
 */
export async function getLectureForEditor(db: Database, actor: CurrentUser, lectureId: number) {
  assertAdmin(actor);
  const [lectureRows, moduleRows, countRows, versionRows] = await db.batch([
    db
      .select({
        id: lectures.id,
        slug: lectures.slug,
        title: lectures.title,
        summary: lectures.summary,
        bodyMarkdown: lectures.bodyMarkdown,
        bodyHtml: lectures.bodyHtml,
        durationMinutes: lectures.durationMinutes,
        published: lectures.published,
        freePreview: lectures.freePreview,
        moduleId: moduleIdColumn,
        moduleSlug: moduleSlugColumn,
        moduleTitle: moduleTitleColumn,
        modulePublished: modulePublishedColumn,
      })
      .from(lectures)
      .innerJoin(modules, eq(modules.id, lectures.moduleId))
      .where(eq(lectures.id, lectureId))
      .limit(1),
    db.select({ id: modules.id, title: modules.title }).from(modules).orderBy(asc(modules.position), asc(modules.id)),
    db.select(lectureRecordColumns(sql`(${lectureId})`)).from(sql`(select 1)`),
    db
      .select({ id: lectureVersions.id })
      .from(lectureVersions)
      .where(eq(lectureVersions.lectureId, lectureId))
      .orderBy(desc(lectureVersions.id))
      .limit(1),
  ]);
  const lecture = lectureRows[0];
  if (!lecture) return null;
  return { lecture, modules: moduleRows, records: countRows[0]!, latestVersionId: versionRows[0]?.id ?? 0 };
}

export type LectureEditorData = NonNullable<Awaited<ReturnType<typeof getLectureForEditor>>>;

/** Adds a lecture at the end of its module, with its first version ("Created"). */
export async function createLecture(
  db: Database,
  actor: CurrentUser,
  moduleId: number,
  draft: LectureDraft,
): Promise<WriteResult<{ id: number }>> {
  assertAdmin(actor);
  if (isReserved(draft.slug)) return { ok: false, reason: "slug_reserved" };
  const [moduleRows, clashRows] = await db.batch([
    db.select({ id: modules.id }).from(modules).where(eq(modules.id, moduleId)),
    db.select({ id: lectures.id }).from(lectures).where(slugTakenIn(moduleId, draft.slug)).limit(1),
  ]);
  if (!moduleRows[0]) return { ok: false, reason: "not_found" };
  if (clashRows[0]) return { ok: false, reason: "slug_taken" };

  const newId = sql`(select id from lectures where module_id = ${moduleId} and slug = ${draft.slug})`;
  try {
    const [inserted] = await db.batch([
      db
        .insert(lectures)
        .values({
          ...lectureTextColumns(draft),
          moduleId,
          position: sql`(select coalesce(max(position), 0) + 1 from lectures where module_id = ${moduleId})`,
        })
        .returning({ id: lectures.id }),
      lectureVersionStatement(db, actor, newId, draft, "Created"),
      auditStatement(db, actor, {
        action: "lecture.create",
        targetType: "lecture",
        targetId: newId,
        summary: `Created lecture "${draft.title}" as ${draft.published ? "published" : "a draft"}`,
      }),
    ]);
    return { ok: true, id: inserted[0]!.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

const BASELINE_NOTE = "As it was before its first edit here";

/**
 * A lecture written outside the editor (the seed) has no history yet: before its first
 * edit, snapshot it as it is, so restoring can always bring back the original text.
 */
function baselineVersion(db: Database, lectureId: number) {
  return batchable(
    db,
    db.run(sql`insert into lecture_versions (lecture_id, title, slug, summary, body_markdown, duration_minutes,
        published, free_preview, author_id, note, created_at)
      select id, title, slug, summary, body_markdown, duration_minutes, published, free_preview, null,
        ${BASELINE_NOTE}, updated_at
      from lectures
      where id = ${lectureId} and not exists (select 1 from lecture_versions where lecture_id = ${lectureId})`),
  );
}

/** Saves the editor: the lecture, a version snapshot with `note`, and the audit entry. */
export async function updateLecture(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  draft: LectureDraft,
  note: string,
): Promise<WriteResult> {
  assertAdmin(actor);
  if (isReserved(draft.slug)) return { ok: false, reason: "slug_reserved" };
  const sameModule = sql`(select module_id from lectures where id = ${lectureId})`;
  const [currentRows, clashRows] = await db.batch([
    db.select({ published: lectures.published }).from(lectures).where(eq(lectures.id, lectureId)).limit(1),
    db
      .select({ id: lectures.id })
      .from(lectures)
      .where(and(eq(lectures.moduleId, sameModule), eq(lectures.slug, draft.slug), ne(lectures.id, lectureId)))
      .limit(1),
  ]);
  const current = currentRows[0];
  if (!current) return { ok: false, reason: "not_found" };
  if (clashRows[0]) return { ok: false, reason: "slug_taken" };

  const verb =
    current.published === draft.published ? "Edited" : draft.published ? "Published" : "Moved back to draft:";
  try {
    await db.batch([
      baselineVersion(db, lectureId),
      db
        .update(lectures)
        .set({ ...lectureTextColumns(draft), updatedAt: sql`(unixepoch())` })
        .where(eq(lectures.id, lectureId)),
      lectureVersionStatement(db, actor, lectureId, draft, note),
      auditStatement(db, actor, {
        action: "lecture.update",
        targetType: "lecture",
        targetId: lectureId,
        summary: `${verb} lecture "${draft.title}"${note === "Edited" ? "" : `: ${note}`}`,
      }),
    ]);
    return { ok: true };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

/** The lectures of the module `lectureId` belongs to, in order. */
function siblingsOf(db: Database, lectureId: number) {
  return db
    .select({ id: lectures.id, title: lectures.title, position: lectures.position, moduleId: lectures.moduleId })
    .from(lectures)
    .where(eq(lectures.moduleId, sql`(select module_id from lectures where id = ${lectureId})`))
    .orderBy(asc(lectures.position), asc(lectures.id));
}

function positionUpdates(db: Database, order: number[], rows: Array<{ id: number; position: number }>) {
  const current = new Map(rows.map((row) => [row.id, row.position]));
  return renumber(order, current).map((row) =>
    db.update(lectures).set({ position: row.position }).where(eq(lectures.id, row.id)),
  );
}

/** Swaps a lecture with its neighbour in its module. `moved` is false at either end. */
export async function moveLecture(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  direction: Direction,
): Promise<WriteResult<{ moved: boolean; title: string; moduleId: number }>> {
  assertAdmin(actor);
  const rows = await siblingsOf(db, lectureId);
  const index = rows.findIndex((row) => row.id === lectureId);
  if (index === -1) return { ok: false, reason: "not_found" };
  const { title, moduleId } = rows[index]!;
  const order = swapped(
    rows.map((row) => row.id),
    index,
    direction,
  );
  if (!order) return { ok: true, moved: false, title, moduleId };
  await db.batch([
    auditStatement(db, actor, {
      action: "lecture.reorder",
      targetType: "lecture",
      targetId: lectureId,
      summary: `Moved lecture "${title}" ${direction} to place ${order.indexOf(lectureId) + 1}`,
    }),
    ...positionUpdates(db, order, rows),
  ]);
  return { ok: true, moved: true, title, moduleId };
}

/**
 * Moves a lecture to the end of another module; the module it leaves closes the gap. Its
 * slug must be free in the new module.
 */
export async function moveLectureToModule(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
  targetModuleId: number,
): Promise<WriteResult<{ title: string; moduleTitle: string }>> {
  assertAdmin(actor);
  const [rows, targetRows, clashRows] = await db.batch([
    siblingsOf(db, lectureId),
    db.select({ title: modules.title }).from(modules).where(eq(modules.id, targetModuleId)),
    db
      .select({ id: lectures.id })
      .from(lectures)
      .where(
        and(
          eq(lectures.moduleId, targetModuleId),
          eq(lectures.slug, sql`(select slug from lectures where id = ${lectureId})`),
          ne(lectures.id, lectureId),
        ),
      )
      .limit(1),
  ]);
  const lecture = rows.find((row) => row.id === lectureId);
  const target = targetRows[0];
  if (!lecture || !target) return { ok: false, reason: "not_found" };
  if (lecture.moduleId === targetModuleId) return { ok: true, title: lecture.title, moduleTitle: target.title };
  if (clashRows[0]) return { ok: false, reason: "slug_taken" };

  const order = rows.map((row) => row.id).filter((id) => id !== lectureId);
  try {
    await db.batch([
      db
        .update(lectures)
        .set({
          moduleId: targetModuleId,
          position: sql`(select coalesce(max(position), 0) + 1 from lectures where module_id = ${targetModuleId})`,
          updatedAt: sql`(unixepoch())`,
        })
        .where(eq(lectures.id, lectureId)),
      ...positionUpdates(db, order, rows),
      auditStatement(db, actor, {
        action: "lecture.move",
        targetType: "lecture",
        targetId: lectureId,
        summary: `Moved lecture "${lecture.title}" to module "${target.title}"`,
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
  return { ok: true, title: lecture.title, moduleTitle: target.title };
}

/**
 * Deletes a lecture with its versions and every student record tied to it (the schema
 * cascades); its module closes the gap. Returns the R2 keys of its files for the caller
 * to remove from the bucket once the rows are gone.
 */
export async function deleteLecture(
  db: Database,
  actor: CurrentUser,
  lectureId: number,
): Promise<WriteResult<{ title: string; moduleId: number; fileKeys: string[] }>> {
  assertAdmin(actor);
  const [rows, files] = await db.batch([
    siblingsOf(db, lectureId),
    db.select({ key: lectureFiles.key }).from(lectureFiles).where(eq(lectureFiles.lectureId, lectureId)),
  ]);
  const lecture = rows.find((row) => row.id === lectureId);
  if (!lecture) return { ok: false, reason: "not_found" };
  const order = rows.map((row) => row.id).filter((id) => id !== lectureId);
  await db.batch([
    db.delete(lectures).where(eq(lectures.id, lectureId)),
    ...positionUpdates(db, order, rows),
    auditStatement(db, actor, {
      action: "lecture.delete",
      targetType: "lecture",
      targetId: lectureId,
      summary: `Deleted lecture "${lecture.title}"`,
    }),
  ]);
  return { ok: true, title: lecture.title, moduleId: lecture.moduleId, fileKeys: files.map((file) => file.key) };
}
