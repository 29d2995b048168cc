import { sql } from "drizzle-orm";
import * as z from "zod";
import type { Database } from "../client.ts";
import { fullAccessSql, loadReleaseSchedule, releasedModuleSql, type Viewer } from "./access.ts";

/** What a search request may contain, for the page and the API alike. */
export const searchQuerySchema = z.object({
  q: z.string().trim().min(2, "Type at least 2 characters.").max(100, "Keep it under 100 characters."),
});

/** A piece of a search snippet; `match` pieces are the words that matched. */
export type SnippetPart = { text: string; match: boolean };

export type SearchHit = {
  moduleSlug: string;
  moduleTitle: string;
  lectureSlug: string;
  lectureTitle: string;
  title: SnippetPart[];
  snippet: SnippetPart[];
};

// Control characters mark matches inside FTS5 snippets. They never occur in lecture
// text, and splitting on them (instead of emitting <mark> from SQL) means snippet text
// is always escaped by whoever renders it.
const OPEN = "\u0002";
const CLOSE = "\u0003";

const MAX_TERMS = 8;

/**
 * Turns what a person typed into a safe FTS5 query: words only (FTS5 operators and
 * quotes cannot be injected), every word required, each matched as typed (stemmed, so
 * "containers" finds "container") or as a prefix (so "kube" finds "kubectl").
 */
export function toMatchExpression(input: string): string | null {
  const terms =
    input
      .toLowerCase()
      .match(/[\p{L}\p{N}_]+/gu)
      ?.slice(0, MAX_TERMS) ?? [];
  if (terms.length === 0) return null;
  return terms.map((term) => `("${term}" OR "${term}"*)`).join(" AND ");
}

export function splitMarked(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [index, piece] of marked.split(new RegExp(`[${OPEN}${CLOSE}]`)).entries()) {
    if (piece) parts.push({ text: piece, match: index % 2 === 1 });
  }
  return parts;
}

type Row = {
  moduleSlug: string;
  moduleTitle: string;
  lectureSlug: string;
  lectureTitle: string;
  title: string;
  snippet: string;
};

/**
 * Searches every published lecture, but only shows text the viewer may read: a locked
 * lecture's hit carries its public summary instead of a snippet of its body. So does a
 * lecture of a module the student's cohort has not reached yet.
 */
export async function searchLectures(db: Database, query: string, viewer: Viewer, limit = 20): Promise<SearchHit[]> {
  const match = toMatchExpression(query);
  if (!match) return [];
  const schedule = await loadReleaseSchedule(db, viewer);
  const rows = await db.all<Row>(sql`
    select
      m.slug as moduleSlug,
      m.title as moduleTitle,
      l.slug as lectureSlug,
      l.title as lectureTitle,
      highlight(lectures_fts, 0, ${OPEN}, ${CLOSE}) as title,
      case when l.free_preview = 1 or (${fullAccessSql(viewer)} and ${releasedModuleSql(schedule, sql`m.id`)})
        then snippet(lectures_fts, 1, ${OPEN}, ${CLOSE}, '…', 24)
        else l.summary end as snippet
    from lectures_fts
    join lectures l on l.id = lectures_fts.rowid
    join modules m on m.id = l.module_id
    where lectures_fts match ${match} and l.published = 1 and m.published = 1
    order by bm25(lectures_fts, 8.0, 1.0)
    limit ${limit}
  `);
  return rows.map((row) => ({
    moduleSlug: row.moduleSlug,
    moduleTitle: row.moduleTitle,
    lectureSlug: row.lectureSlug,
    lectureTitle: row.lectureTitle,
    title: splitMarked(row.title),
    snippet: splitMarked(row.snippet),
  }));
}
