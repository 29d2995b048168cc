import { RESERVED_LECTURE_SLUGS, SLUG_MAX } from "../queries/admin-content-limits.ts";
import type { LectureDraft } from "../queries/lecture-writes.ts";
import type { ImportState, ImportedLecture } from "./state.ts";
import type { ImportItem, ImportSource } from "./types.ts";

// What an import would do, decided before anything is written: the preview shows this plan
// and applying it writes exactly this plan. Every lecture is matched by its source id, so
// importing the same source again changes nothing; a lecture is only updated when its
// source changed since the last import.

export type PlanAction = "create" | "update" | "skip";

export type PlannedWrite = {
  sourceId: string;
  /** The lecture to update; null creates one. */
  lectureId: number | null;
  moduleId: number;
  position: number;
  draft: LectureDraft;
};

export type PlanRow = {
  origin: string;
  title: string;
  action: PlanAction;
  /** Why this action: what is new, what changed, or why it is skipped. */
  reason: string;
  /** What an update overwrites, when an admin edited the lecture since it was imported. */
  warning: string | null;
  moduleTitle: string | null;
  slug: string | null;
  lectureId: number | null;
  write: PlannedWrite | null;
};

export type ImportPlan = {
  kind: ImportSource["kind"];
  label: string;
  rows: PlanRow[];
  counts: Record<PlanAction, number>;
};

export const IMPORT_NOTES = { feed: "Imported from feed", zip: "Imported from zip" } as const;

export function planImport(source: ImportSource, state: ImportState): ImportPlan {
  const modulesBySlug = new Map(state.modules.map((module) => [module.slug, module]));
  const modulesById = new Map(state.modules.map((module) => [module.id, module]));
  // Slugs per module (slug -> lecture id), kept current as the plan claims new ones.
  const slugs = new Map<number, Map<string, number | "planned">>();
  const nextPosition = new Map<number, number>();
  for (const lecture of state.lectures) {
    if (!slugs.has(lecture.moduleId)) slugs.set(lecture.moduleId, new Map());
    slugs.get(lecture.moduleId)!.set(lecture.slug, lecture.id);
    nextPosition.set(lecture.moduleId, Math.max(nextPosition.get(lecture.moduleId) ?? 1, lecture.position + 1));
  }
  const slugsOf = (moduleId: number) => slugs.get(moduleId) ?? slugs.set(moduleId, new Map()).get(moduleId)!;
  const seen = new Map<string, string>();
  const rows: PlanRow[] = [];

  for (const item of source.items) {
    const module = modulesBySlug.get(item.moduleSlug);
    const skip = (reason: string, extra: Partial<PlanRow> = {}): PlanRow => ({
      origin: item.origin,
      title: item.title,
      action: "skip",
      reason,
      warning: null,
      moduleTitle: module?.title ?? null,
      slug: item.slug,
      lectureId: null,
      write: null,
      ...extra,
    });
    if (!module) {
      rows.push(skip(`There is no module “${item.moduleSlug}”: create it first, or correct the front matter.`));
      continue;
    }
    const repeated = seen.get(item.sourceId);
    if (repeated) {
      rows.push(skip(`${repeated} in this import has the same ${source.kind === "feed" ? "guid" : "id"}.`));
      continue;
    }
    seen.set(item.sourceId, item.origin);

    const existing = state.imported.get(item.sourceId);
    if (existing) {
      rows.push(planUpdate(source.kind, item, existing, module, modulesById, slugsOf, skip));
      continue;
    }

    const taken = slugsOf(module.id);
    let slug: string;
    if (item.slug !== null) {
      const owner = taken.get(item.slug);
      if (owner !== undefined) {
        rows.push(
          skip(
            owner === "planned"
              ? `Another file in this import uses the slug “${item.slug}” in ${module.title}.`
              : `${module.title} already has a lecture “${item.slug}” that was not imported from this source; change the slug or give the file an id.`,
          ),
        );
        continue;
      }
      slug = item.slug;
    } else {
      slug = uniqueSlug(slugify(item.title), taken);
    }
    taken.set(slug, "planned");
    const position = item.position ?? nextPosition.get(module.id) ?? 1;
    nextPosition.set(module.id, Math.max(nextPosition.get(module.id) ?? 1, position + 1));
    const draft = draftOf(item, slug);
    rows.push({
      origin: item.origin,
      title: item.title,
      action: "create",
      reason: `New ${draft.published ? "published" : "draft"} lecture, position ${position}.`,
      warning: null,
      moduleTitle: module.title,
      slug,
      lectureId: null,
      write: { sourceId: item.sourceId, lectureId: null, moduleId: module.id, position, draft },
    });
  }

  for (const rejected of source.rejected) {
    rows.push({
      ...rejected,
      action: "skip",
      warning: null,
      moduleTitle: null,
      slug: null,
      lectureId: null,
      write: null,
    });
  }

  const counts = { create: 0, update: 0, skip: 0 };
  for (const row of rows) counts[row.action]++;
  return { kind: source.kind, label: source.label, rows, counts };
}

function planUpdate(
  kind: ImportSource["kind"],
  item: ImportItem,
  existing: ImportedLecture,
  module: ImportState["modules"][number],
  modulesById: Map<number, ImportState["modules"][number]>,
  slugsOf: (moduleId: number) => Map<string, number | "planned">,
  skip: (reason: string, extra?: Partial<PlanRow>) => PlanRow,
): PlanRow {
  // A feed only brings text: where the lecture sits and whether it is published stay the
  // admin's decisions. A zip is the lectures as code: its front matter decides everything.
  const fromZip = kind === "zip";
  const moduleId = fromZip ? module.id : existing.moduleId;
  const position = fromZip ? item.position! : existing.position;
  const slug = fromZip ? item.slug! : existing.slug;
  const draft: LectureDraft = {
    ...draftOf(item, slug),
    ...(fromZip ? {} : { published: existing.published, freePreview: existing.freePreview }),
  };
  const target = modulesById.get(moduleId);
  const base = { lectureId: existing.id, slug, moduleTitle: target?.title ?? module.title };

  const baseline = existing.lastImport ?? existing;
  const changed = [
    draft.title !== baseline.title && "title",
    draft.summary !== baseline.summary && "summary",
    draft.bodyMarkdown !== baseline.bodyMarkdown && "text",
    draft.durationMinutes !== baseline.durationMinutes && "duration",
    fromZip && draft.slug !== existing.slug && "slug",
    fromZip && (draft.published !== existing.published || draft.freePreview !== existing.freePreview) && "visibility",
    fromZip && (moduleId !== existing.moduleId || position !== existing.position) && "place",
  ].filter((field): field is string => Boolean(field));

  const edited =
    existing.lastImport !== null &&
    (existing.title !== existing.lastImport.title ||
      existing.summary !== existing.lastImport.summary ||
      existing.bodyMarkdown !== existing.lastImport.bodyMarkdown);

  if (changed.length === 0) {
    return skip(
      edited
        ? "Unchanged since the last import. It was edited here since; those edits are kept."
        : "Unchanged since the last import.",
      base,
    );
  }
  const owner = slugsOf(moduleId).get(slug);
  if (owner !== undefined && owner !== existing.id) {
    return skip(`Another lecture in ${base.moduleTitle} already uses the slug “${slug}”.`, base);
  }
  slugsOf(existing.moduleId).delete(existing.slug);
  slugsOf(moduleId).set(slug, existing.id);
  return {
    origin: item.origin,
    title: item.title,
    action: "update",
    reason: `Changed in the source since the last import: ${changed.join(", ")}.`,
    warning: edited
      ? "It was edited here since the last import. The import replaces those edits; they stay in its version history and can be restored."
      : null,
    ...base,
    write: { sourceId: item.sourceId, lectureId: existing.id, moduleId, position, draft },
  };
}

function draftOf(item: ImportItem, slug: string): LectureDraft {
  return {
    title: item.title,
    slug,
    summary: item.summary,
    bodyMarkdown: item.bodyMarkdown,
    durationMinutes: item.durationMinutes,
    published: item.published,
    freePreview: item.freePreview,
  };
}

/** "Zero-downtime deploys with Docker & Compose!" -> "zero-downtime-deploys-with-docker-compose" */
export function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    // Room for a "-2" suffix.
    if (next.length > SLUG_MAX - 4) {
      if (!slug) slug = word.slice(0, SLUG_MAX - 4);
      break;
    }
    slug = next;
  }
  return slug || "lecture";
}

function uniqueSlug(base: string, taken: Map<string, unknown>): string {
  const free = (slug: string) => !taken.has(slug) && !RESERVED_LECTURE_SLUGS.includes(slug);
  if (free(base)) return base;
  for (let counter = 2; ; counter++) {
    if (free(`${base}-${counter}`)) return `${base}-${counter}`;
  }
}

/** Names the writes of a plan: applying checks the plan it is about to write is the one previewed. */
export async function planFingerprint(plan: ImportPlan): Promise<string> {
  const writes = plan.rows.map((row) => [row.action, row.write]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(writes)));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
