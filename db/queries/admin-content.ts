import { and, asc, count as sqlCount, eq, ne, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { lectureFiles, lectures, modules } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";

// The admin's module pages: every module, drafts included, addressed by id (slugs change).
// Reads of a page go out in one batch; every change is one batch with its audit entry.

export type ModuleInput = {
  title: string;
  slug: string;
  summary: string;
  overviewMarkdown: string;
  published: boolean;
  releaseOffsetDays: number;
  /** "HH:MM" in the cohort's timezone, or null for the cohort's start time of day. */
  releaseTime: string | null;
};

export type Direction = "up" | "down";

export type WriteResult<Extra = object> =
  ({ ok: true } & Extra) | { ok: false; reason: "not_found" | "slug_taken" | "slug_reserved" };

/** A unique index refused the write: someone took the slug between our check and the write. */
export function isUniqueViolation(error: unknown): boolean {
  const messages = [error, (error as { cause?: unknown } | null)?.cause].map((item) =>
    item instanceof Error ? item.message : String(item),
  );
  return messages.some((message) => message.includes("UNIQUE constraint failed"));
}

/**
 * New positions 1..n for rows in their new order, only for rows whose position changes.
 * Every reorder, move and delete goes through this, so positions stay dense and unique.
 */
export function renumber(ids: number[], current: Map<number, number>): Array<{ id: number; position: number }> {
  return ids.map((id, index) => ({ id, position: index + 1 })).filter((row) => current.get(row.id) !== row.position);
}

/** `ids` with the one at `index` swapped with its neighbour; null at either end. */
export function swapped(ids: number[], index: number, direction: Direction): number[] | null {
  const other = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= ids.length) return null;
  const order = [...ids];
  [order[index], order[other]] = [order[other]!, order[index]!];
  return order;
}

const count = (query: SQL, name: string) => sql<number>`(${query})`.mapWith(Number).as(name);

/** What goes with a set of lectures when they are deleted: student records and attached files. */
export function lectureRecordColumns(lectureIds: SQL) {
  return {
    progress: count(
      sql`select count(*) from lecture_progress where lecture_progress.lecture_id in ${lectureIds}`,
      "progress",
    ),
    notes: count(sql`select count(*) from lecture_notes where lecture_notes.lecture_id in ${lectureIds}`, "notes"),
    posts: count(
      sql`select count(*) from discussion_posts where discussion_posts.lecture_id in ${lectureIds}`,
      "posts",
    ),
    views: count(sql`select count(*) from lecture_views where lecture_views.lecture_id in ${lectureIds}`, "views"),
    files: count(sql`select count(*) from lecture_files where lecture_files.lecture_id in ${lectureIds}`, "files"),
  };
}

export type RecordCounts = {
  progress: number;
  notes: number;
  posts: number;
  views: number;
  files: number;
  quizAttempts: number;
  submissions: number;
  overrides: number;
};

/** Every student record in the counts (files are the course's, not a student's). */
export function studentRecordTotal(counts: RecordCounts): number {
  return (
    counts.progress +
    counts.notes +
    counts.posts +
    counts.views +
    counts.quizAttempts +
    counts.submissions +
    counts.overrides
  );
}

/** All modules for the content page, drafts included, with their lecture counts. */
export async function listModulesForAdmin(db: Database, actor: CurrentUser) {
  assertAdmin(actor);
  return db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      published: modules.published,
      position: modules.position,
      lectureCount: sql<number>`count(${lectures.id})`.mapWith(Number),
      publishedLectureCount: sql<number>`coalesce(sum(${lectures.published}), 0)`.mapWith(Number),
    })
    .from(modules)
    .leftJoin(lectures, eq(lectures.moduleId, modules.id))
    .groupBy(modules.id)
    .orderBy(asc(modules.position), asc(modules.id));
}

/** A module's edit page: the module, its lectures and what deleting it would take along. One round trip. */
export async function getModuleForAdmin(db: Database, actor: CurrentUser, moduleId: number) {
  assertAdmin(actor);
  const [moduleRows, lectureRows, countRows] = await db.batch([
    db.select().from(modules).where(eq(modules.id, moduleId)).limit(1),
    db
      .select({
        id: lectures.id,
        slug: lectures.slug,
        title: lectures.title,
        published: lectures.published,
        freePreview: lectures.freePreview,
        durationMinutes: lectures.durationMinutes,
        position: lectures.position,
      })
      .from(lectures)
      .where(eq(lectures.moduleId, moduleId))
      .orderBy(asc(lectures.position), asc(lectures.id)),
    moduleRecords(db, moduleId),
  ]);
  const module = moduleRows[0];
  if (!module) return null;
  return { module, lectures: lectureRows, records: countRows[0]! satisfies RecordCounts };
}

/** The student records and files that go with a module when it is deleted. */
function moduleRecords(db: Database, moduleId: number) {
  const lectureIds = sql`(select id from lectures where lectures.module_id = ${moduleId})`;
  return db
    .select({
      ...lectureRecordColumns(lectureIds),
      quizAttempts: count(
        sql`select count(*) from quiz_attempts join quizzes on quizzes.id = quiz_attempts.quiz_id
            where quizzes.module_id = ${moduleId}`,
        "quiz_attempts",
      ),
      submissions: count(
        sql`select count(*) from project_submissions join projects on projects.id = project_submissions.project_id
            where projects.module_id = ${moduleId}`,
        "submissions",
      ),
      overrides: count(
        sql`select count(*) from module_release_overrides where module_release_overrides.module_id = ${moduleId}`,
        "overrides",
      ),
    })
    .from(sql`(select 1)`);
}

export type AdminModule = NonNullable<Awaited<ReturnType<typeof getModuleForAdmin>>>;

function moduleColumns(input: ModuleInput) {
  return {
    title: input.title,
    slug: input.slug,
    summary: input.summary,
    overviewMarkdown: input.overviewMarkdown,
    overviewHtml: renderMarkdown(input.overviewMarkdown).html,
    published: input.published,
    releaseOffsetDays: input.releaseOffsetDays,
    releaseTime: input.releaseTime,
  };
}

/** Another module with this slug (module slugs are unique across the course). */
const slugTaken = (slug: string, exceptId?: number) =>
  and(eq(modules.slug, slug), exceptId === undefined ? undefined : ne(modules.id, exceptId));

/** Adds a module at the end of the list. */
export async function createModule(
  db: Database,
  actor: CurrentUser,
  input: ModuleInput,
): Promise<WriteResult<{ id: number }>> {
  assertAdmin(actor);
  const [clash] = await db.select({ id: modules.id }).from(modules).where(slugTaken(input.slug)).limit(1);
  if (clash) return { ok: false, reason: "slug_taken" };
  try {
    const [inserted] = await db.batch([
      db
        .insert(modules)
        .values({ ...moduleColumns(input), position: sql`(select coalesce(max(position), 0) + 1 from modules)` })
        .returning({ id: modules.id }),
      auditStatement(db, actor, {
        action: "module.create",
        targetType: "module",
        targetId: sql`(select id from modules where slug = ${input.slug})`,
        summary: `Created module "${input.title}" as ${input.published ? "published" : "a draft"}`,
      }),
    ]);
    return { ok: true, id: inserted[0]!.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
}

/**
 * Saves a module's fields. `scheduleChanged` says whether cohort clocks need the new
 * release schedule (its release settings, title or visibility changed).
 */
export async function updateModule(
  db: Database,
  actor: CurrentUser,
  moduleId: number,
  input: ModuleInput,
): Promise<WriteResult<{ scheduleChanged: boolean }>> {
  assertAdmin(actor);
  const [currentRows, clashRows] = await db.batch([
    db.select().from(modules).where(eq(modules.id, moduleId)).limit(1),
    db.select({ id: modules.id }).from(modules).where(slugTaken(input.slug, moduleId)).limit(1),
  ]);
  const current = currentRows[0];
  if (!current) return { ok: false, reason: "not_found" };
  if (clashRows[0]) return { ok: false, reason: "slug_taken" };

  const verb =
    current.published === input.published ? "Edited" : input.published ? "Published" : "Moved back to draft:";
  try {
    await db.batch([
      db
        .update(modules)
        .set({ ...moduleColumns(input), updatedAt: sql`(unixepoch())` })
        .where(eq(modules.id, moduleId)),
      auditStatement(db, actor, {
        action: "module.update",
        targetType: "module",
        targetId: moduleId,
        summary: `${verb} module "${input.title}"`,
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "slug_taken" };
    throw error;
  }
  const scheduleChanged =
    (current.published || input.published) &&
    (current.published !== input.published ||
      current.title !== input.title ||
      current.releaseOffsetDays !== input.releaseOffsetDays ||
      current.releaseTime !== input.releaseTime);
  return { ok: true, scheduleChanged };
}

async function moduleOrder(db: Database) {
  return db
    .select({ id: modules.id, title: modules.title, position: modules.position, published: modules.published })
    .from(modules)
    .orderBy(asc(modules.position), asc(modules.id));
}

function positionUpdates(db: Database, order: number[], rows: Array<{ id: number; position: number }>) {
  const current = new Map(rows.map((row) => [row.id, row.position]));
  return renumber(order, current).map((row) =>
    db.update(modules).set({ position: row.position }).where(eq(modules.id, row.id)),
  );
}

/** Swaps a module with its neighbour. `moved` is false at either end of the list. */
export async function moveModule(
  db: Database,
  actor: CurrentUser,
  moduleId: number,
  direction: Direction,
): Promise<WriteResult<{ moved: boolean; title: string }>> {
  assertAdmin(actor);
  const rows = await moduleOrder(db);
  const index = rows.findIndex((row) => row.id === moduleId);
  if (index === -1) return { ok: false, reason: "not_found" };
  const title = rows[index]!.title;
  const order = swapped(
    rows.map((row) => row.id),
    index,
    direction,
  );
  if (!order) return { ok: true, moved: false, title };
  await db.batch([
    auditStatement(db, actor, {
      action: "module.reorder",
      targetType: "module",
      targetId: moduleId,
      summary: `Moved module "${title}" ${direction} to place ${order.indexOf(moduleId) + 1}`,
    }),
    ...positionUpdates(db, order, rows),
  ]);
  return { ok: true, moved: true, title };
}

/**
 * Deletes a module; its lectures and every student record tied to them go with it (the
 * schema cascades). The remaining modules close the gap. Returns the R2 keys of the
 * lectures' files, which the caller removes from the bucket once the rows are gone.
 */
export async function deleteModule(
  db: Database,
  actor: CurrentUser,
  moduleId: number,
): Promise<WriteResult<{ title: string; wasPublished: boolean; fileKeys: string[] }>> {
  assertAdmin(actor);
  const [moduleRows, lectureCount, countRows, rows, files] = await db.batch([
    db.select({ title: modules.title, published: modules.published }).from(modules).where(eq(modules.id, moduleId)),
    db.select({ total: sqlCount() }).from(lectures).where(eq(lectures.moduleId, moduleId)),
    moduleRecords(db, moduleId),
    db
      .select({ id: modules.id, position: modules.position })
      .from(modules)
      .orderBy(asc(modules.position), asc(modules.id)),
    db
      .select({ key: lectureFiles.key })
      .from(lectureFiles)
      .innerJoin(lectures, eq(lectures.id, lectureFiles.lectureId))
      .where(eq(lectures.moduleId, moduleId)),
  ]);
  const module = moduleRows[0];
  if (!module) return { ok: false, reason: "not_found" };
  const order = rows.map((row) => row.id).filter((id) => id !== moduleId);
  const lectureTotal = lectureCount[0]?.total ?? 0;
  await db.batch([
    db.delete(modules).where(eq(modules.id, moduleId)),
    ...positionUpdates(db, order, rows),
    auditStatement(db, actor, {
      action: "module.delete",
      targetType: "module",
      targetId: moduleId,
      summary: `Deleted module "${module.title}" with ${lectureTotal} lectures and ${studentRecordTotal(countRows[0]!)} student records`,
    }),
  ]);
  return { ok: true, title: module.title, wasPublished: module.published, fileKeys: files.map((file) => file.key) };
}
