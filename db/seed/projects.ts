import { sql } from "drizzle-orm";
import * as z from "zod";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { splitFrontMatter } from "../content/front-matter.ts";
import { projects } from "../schema.ts";
import type { ContentFile } from "./curriculum.ts";

// Hands-on project briefs: `NN-<module>/_project.md`, at most one per module
// (db/seed/content/FORMAT.md, "Projects").

// Strict: an unknown key is almost always a typo (`requried: true`) that would
// otherwise silently fall back to a default.
const projectFields = z.strictObject({
  title: z.string().min(3).max(120),
  summary: z.string().min(10).max(160),
  required: z.enum(["true", "false"], { error: "write true or false" }).transform((value) => value === "true"),
});

export type ParsedProject = {
  moduleSlug: string;
  title: string;
  summary: string;
  required: boolean;
  briefMarkdown: string;
  briefHtml: string;
};

const PROJECT_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\/_project\.md$/;
// The acceptance criteria are what a reviewer checks; a brief without them cannot be reviewed fairly.
const TASK_ITEM = /^\s*[-*] \[ \] \S/m;

/** Reads every `_project.md` among the seed files; throws naming the file on any problem. */
export function parseProjects(files: ContentFile[]): ParsedProject[] {
  const parsed: ParsedProject[] = [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of sorted) {
    if (!file.path.endsWith("/_project.md") && file.path !== "_project.md") continue;
    const match = PROJECT_FILE.exec(file.path);
    if (!match) throw new Error(`${file.path}: a project brief belongs in a module folder, as NN-<module>/_project.md`);
    const moduleSlug = match[2]!;
    if (parsed.some((project) => project.moduleSlug === moduleSlug)) {
      throw new Error(`${file.path}: module "${moduleSlug}" already has a project brief (at most one per module)`);
    }

    const { fields, body } = splitFrontMatter(file.source);
    const result = projectFields.safeParse(fields);
    if (!result.success) {
      const problems = result.error.issues.map((issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown field ${issue.keys.join(", ")} (allowed: title, summary, required)`
          : `${issue.path.join(".")}: ${issue.message}`,
      );
      throw new Error(`${file.path}: invalid front matter (${problems.join("; ")})`);
    }
    const briefMarkdown = body.trim();
    if (briefMarkdown === "") throw new Error(`${file.path}: the brief (the markdown after the front matter) is empty`);
    if (!TASK_ITEM.test(briefMarkdown)) {
      throw new Error(`${file.path}: the brief has no acceptance criteria (a task list of "- [ ] ..." lines)`);
    }
    parsed.push({ moduleSlug, ...result.data, briefMarkdown, briefHtml: renderMarkdown(briefMarkdown).html });
  }
  return parsed;
}

const fromExcluded = (column: string) => sql.raw(`excluded.${column}`);

/**
 * Writes every brief in one atomic D1 batch, upserting by module, so a rerun updates the
 * text in place and submissions (keyed on the project id) stay attached. The module is
 * looked up by slug in SQL: a brief for a module that is not seeded fails the whole batch.
 */
export async function upsertProjects(db: Database, parsed: ParsedProject[]) {
  const statements = parsed.map((project) =>
    db
      .insert(projects)
      .values({
        moduleId: sql`(select id from modules where slug = ${project.moduleSlug})`,
        title: project.title,
        summary: project.summary,
        briefMarkdown: project.briefMarkdown,
        briefHtml: project.briefHtml,
        required: project.required,
      })
      .onConflictDoUpdate({
        target: projects.moduleId,
        set: {
          title: fromExcluded("title"),
          summary: fromExcluded("summary"),
          briefMarkdown: fromExcluded("brief_markdown"),
          briefHtml: fromExcluded("brief_html"),
          required: fromExcluded("required"),
          updatedAt: sql`(unixepoch())`,
        },
      }),
  );
  const [first, ...rest] = statements;
  if (!first) return { projects: 0 };
  try {
    await db.batch([first, ...rest]);
  } catch (error) {
    const slugs = parsed.map((project) => project.moduleSlug).join(", ");
    throw new Error(`Could not write the project briefs (modules: ${slugs}); seed the curriculum first`, {
      cause: error,
    });
  }
  return { projects: parsed.length };
}
