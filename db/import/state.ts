import { eq, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectureVersions, lectures, modules } from "../schema.ts";
import { assertAdmin } from "../queries/admin-guard.ts";

// What the database holds that planning an import needs, read in one round trip.

type ImportedText = {
  title: string;
  summary: string;
  bodyMarkdown: string;
  durationMinutes: number;
};

/** A lecture that came from one of the source ids being imported. */
export type ImportedLecture = ImportedText & {
  id: number;
  moduleId: number;
  slug: string;
  position: number;
  published: boolean;
  freePreview: boolean;
  /** The text as the last import wrote it (its version snapshot); null if it has none. */
  lastImport: ImportedText | null;
};

export type ImportState = {
  modules: Array<{ id: number; slug: string; title: string }>;
  /** Every lecture's place: slugs must stay unique within a module. */
  lectures: Array<{ id: number; moduleId: number; slug: string; position: number }>;
  /** By source id. */
  imported: Map<string, ImportedLecture>;
};

/** Every version an import wrote carries a note starting with this. */
const IMPORT_NOTE_PREFIX = "Imported from ";

export async function loadImportState(db: Database, actor: CurrentUser, sourceIds: string[]): Promise<ImportState> {
  assertAdmin(actor);
  // The newest version an import wrote; correlated, so the outer table is named literally.
  const lastImportId = sql`(select max(lv.id) from lecture_versions lv
    where lv.lecture_id = lectures.id and substr(lv.note, 1, ${IMPORT_NOTE_PREFIX.length}) = ${IMPORT_NOTE_PREFIX})`;
  const [moduleRows, lectureRows, importedRows] = await db.batch([
    db.select({ id: modules.id, slug: modules.slug, title: modules.title }).from(modules).orderBy(modules.position),
    db
      .select({ id: lectures.id, moduleId: lectures.moduleId, slug: lectures.slug, position: lectures.position })
      .from(lectures),
    db
      .select({
        id: lectures.id,
        sourceId: lectures.sourceId,
        moduleId: lectures.moduleId,
        slug: lectures.slug,
        position: lectures.position,
        published: lectures.published,
        freePreview: lectures.freePreview,
        title: lectures.title,
        summary: lectures.summary,
        bodyMarkdown: lectures.bodyMarkdown,
        durationMinutes: lectures.durationMinutes,
        // Aliased: D1 returns rows keyed by column name, so same-named columns would collide.
        versionId: sql<number | null>`${lectureVersions.id}`.as("version_id"),
        importedTitle: sql<string | null>`${lectureVersions.title}`.as("imported_title"),
        importedSummary: sql<string | null>`${lectureVersions.summary}`.as("imported_summary"),
        importedBody: sql<string | null>`${lectureVersions.bodyMarkdown}`.as("imported_body"),
        importedDuration: sql<number | null>`${lectureVersions.durationMinutes}`.as("imported_duration"),
      })
      .from(lectures)
      .leftJoin(lectureVersions, eq(lectureVersions.id, lastImportId))
      // One bound parameter however many ids (D1 allows 100 per statement).
      .where(sql`${lectures.sourceId} in (select value from json_each(${JSON.stringify(sourceIds)}))`),
  ]);
  const imported = new Map<string, ImportedLecture>();
  for (const row of importedRows) {
    const { sourceId, versionId, importedTitle, importedSummary, importedBody, importedDuration, ...lecture } = row;
    imported.set(sourceId!, {
      ...lecture,
      lastImport:
        versionId === null
          ? null
          : {
              title: importedTitle!,
              summary: importedSummary!,
              bodyMarkdown: importedBody!,
              durationMinutes: importedDuration!,
            },
    });
  }
  return { modules: moduleRows, lectures: lectureRows, imported };
}
