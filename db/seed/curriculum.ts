import { sql } from "drizzle-orm";
import * as z from "zod";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { splitFrontMatter } from "../content/front-matter.ts";
import { lectures, modules } from "../schema.ts";

/** A markdown file of the seed curriculum, its path relative to db/seed/content. */
export type ContentFile = { path: string; source: string };

const moduleFields = z.object({
  title: z.string().min(3).max(120),
  summary: z.string().min(10).max(160),
});

/** A module's own front matter: its card text and its place in a cohort's drip schedule. */
const moduleFileFields = moduleFields
  .extend({
    release_days: z.coerce.number().int().min(0).max(365).default(0),
    release_time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a 24-hour local time like 09:00")
      .optional(),
  })
  .transform(({ release_days, release_time, ...fields }) => ({
    ...fields,
    releaseOffsetDays: release_days,
    releaseTime: release_time ?? null,
  }));

const lectureFields = moduleFields.extend({
  duration: z.coerce.number().int().min(1).max(600),
  preview: z.enum(["true", "false"]).transform((value) => value === "true"),
  video: z
    .string()
    .regex(/^[a-z0-9-]+\.(webm|mp4)$/, "a file name in db/seed/media, like intro.webm")
    .optional(),
});

/** Where a lecture's video lives in the LECTURE_ASSETS bucket. */
export function videoKey(moduleSlug: string, lectureSlug: string, file: string) {
  return `lectures/${moduleSlug}/${lectureSlug}/${file}`;
}

export type CurriculumModule = z.infer<typeof moduleFileFields> & {
  slug: string;
  position: number;
  overviewMarkdown: string;
  lectures: Array<z.infer<typeof lectureFields> & { slug: string; position: number; markdown: string }>;
};

/** /modules/:module/quiz and /modules/:module/project are pages of the module, not lectures. */
const RESERVED_LECTURE_SLUGS = new Set(["quiz", "project"]);

const MODULE_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\/_module\.md$/;
const LECTURE_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\/(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

function parseFields<T>(schema: z.ZodType<T>, fields: Record<string, string>, path: string): T {
  const result = schema.safeParse(fields);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`${path}: invalid front matter (${problems.join("; ")})`);
  }
  return result.data;
}

/** Reads the folder-per-module layout described in db/seed/content/FORMAT.md. */
export function parseCurriculum(files: ContentFile[]): CurriculumModule[] {
  const bySlug = new Map<string, CurriculumModule>();
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));

  for (const file of sorted) {
    const moduleMatch = MODULE_FILE.exec(file.path);
    if (!moduleMatch) continue;
    const { fields, body } = splitFrontMatter(file.source);
    bySlug.set(moduleMatch[2]!, {
      ...parseFields(moduleFileFields, fields, file.path),
      slug: moduleMatch[2]!,
      position: Number(moduleMatch[1]),
      overviewMarkdown: body.trim(),
      lectures: [],
    });
  }

  for (const file of sorted) {
    const lectureMatch = LECTURE_FILE.exec(file.path);
    if (!lectureMatch) continue;
    const module = bySlug.get(lectureMatch[2]!);
    if (!module) throw new Error(`${file.path}: its folder has no _module.md`);
    if (RESERVED_LECTURE_SLUGS.has(lectureMatch[4]!)) {
      throw new Error(
        `${file.path}: "${lectureMatch[4]}" is taken by the module's ${lectureMatch[4]} page; rename the file`,
      );
    }
    const { fields, body } = splitFrontMatter(file.source);
    module.lectures.push({
      ...parseFields(lectureFields, fields, file.path),
      slug: lectureMatch[4]!,
      position: Number(lectureMatch[3]),
      markdown: body.trim(),
    });
  }

  return [...bySlug.values()].sort((a, b) => a.position - b.position);
}

const fromExcluded = (column: string) => sql.raw(`excluded.${column}`);

/**
 * Writes the curriculum in one atomic D1 batch. Upserts by slug, so running it again
 * updates content in place: ids, and everything later keyed on them, stay stable.
 */
export async function upsertCurriculum(db: Database, curriculum: CurriculumModule[]) {
  const statements = [];
  for (const module of curriculum) {
    const overview = renderMarkdown(module.overviewMarkdown);
    statements.push(
      db
        .insert(modules)
        .values({
          slug: module.slug,
          title: module.title,
          summary: module.summary,
          overviewMarkdown: module.overviewMarkdown,
          overviewHtml: overview.html,
          position: module.position,
          published: true,
          releaseOffsetDays: module.releaseOffsetDays,
          releaseTime: module.releaseTime,
        })
        .onConflictDoUpdate({
          target: modules.slug,
          set: {
            title: fromExcluded("title"),
            summary: fromExcluded("summary"),
            overviewMarkdown: fromExcluded("overview_markdown"),
            overviewHtml: fromExcluded("overview_html"),
            position: fromExcluded("position"),
            published: fromExcluded("published"),
            releaseOffsetDays: fromExcluded("release_offset_days"),
            releaseTime: fromExcluded("release_time"),
            updatedAt: sql`(unixepoch())`,
          },
        }),
    );
    for (const lecture of module.lectures) {
      const rendered = renderMarkdown(lecture.markdown);
      statements.push(
        db
          .insert(lectures)
          .values({
            moduleId: sql`(select id from modules where slug = ${module.slug})`,
            slug: lecture.slug,
            title: lecture.title,
            summary: lecture.summary,
            bodyMarkdown: lecture.markdown,
            bodyHtml: rendered.html,
            bodyText: rendered.text,
            tocJson: JSON.stringify(rendered.toc),
            durationMinutes: lecture.duration,
            position: lecture.position,
            published: true,
            freePreview: lecture.preview,
            videoAssetKey: lecture.video ? videoKey(module.slug, lecture.slug, lecture.video) : null,
          })
          .onConflictDoUpdate({
            target: [lectures.moduleId, lectures.slug],
            set: {
              title: fromExcluded("title"),
              summary: fromExcluded("summary"),
              bodyMarkdown: fromExcluded("body_markdown"),
              bodyHtml: fromExcluded("body_html"),
              bodyText: fromExcluded("body_text"),
              tocJson: fromExcluded("toc_json"),
              durationMinutes: fromExcluded("duration_minutes"),
              position: fromExcluded("position"),
              published: fromExcluded("published"),
              freePreview: fromExcluded("free_preview"),
              videoAssetKey: fromExcluded("video_asset_key"),
              updatedAt: sql`(unixepoch())`,
            },
          }),
      );
    }
  }
  const [first, ...rest] = statements;
  if (!first) return { modules: 0, lectures: 0 };
  await db.batch([first, ...rest]);
  return {
    modules: curriculum.length,
    lectures: curriculum.reduce((total, module) => total + module.lectures.length, 0),
  };
}
