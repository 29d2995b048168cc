import { sql, type SQL } from "drizzle-orm";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { lectureVersions } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";

/** What an author writes; everything else about a lecture is derived from it. */
export type LectureDraft = {
  title: string;
  slug: string;
  summary: string;
  bodyMarkdown: string;
  durationMinutes: number;
  published: boolean;
  freePreview: boolean;
};

/**
 * The stored columns of a lecture's text: the body rendered once, through the one
 * markdown pipeline, when it is written (never per request).
 */
export function lectureTextColumns(draft: LectureDraft) {
  const rendered = renderMarkdown(draft.bodyMarkdown);
  return {
    title: draft.title,
    slug: draft.slug,
    summary: draft.summary,
    bodyMarkdown: draft.bodyMarkdown,
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    tocJson: JSON.stringify(rendered.toc),
    durationMinutes: draft.durationMinutes,
    published: draft.published,
    freePreview: draft.freePreview,
  };
}

/**
 * A version-history snapshot of `draft`, for the same batch that writes it. `lectureId`
 * may be SQL (e.g. `(select id from lectures where source_id = ?)`) for a row created in that batch.
 */
export function lectureVersionStatement(
  db: Database,
  actor: CurrentUser,
  lectureId: number | SQL,
  draft: LectureDraft,
  note: string,
) {
  assertAdmin(actor);
  return db.insert(lectureVersions).values({
    lectureId: typeof lectureId === "number" ? lectureId : sql`${lectureId}`,
    title: draft.title,
    slug: draft.slug,
    summary: draft.summary,
    bodyMarkdown: draft.bodyMarkdown,
    durationMinutes: draft.durationMinutes,
    published: draft.published,
    freePreview: draft.freePreview,
    authorId: actor.id,
    note,
  });
}
