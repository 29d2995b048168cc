import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { applyImportPlan, type AppliedImport } from "./apply.ts";
import { parseFeed } from "./feed.ts";
import { feedSource } from "./feed-items.ts";
import { planFingerprint, planImport, type ImportPlan } from "./plan.ts";
import { loadImportState } from "./state.ts";
import { ImportError, type ImportSource } from "./types.ts";
import { readZip, zipSource } from "./zip.ts";

// The two steps of an import. The admin page loads this module only when it runs an
// import, so none of the feed, HTML and zip code is evaluated for other requests.

export { fetchFeed, type FetchFn } from "./fetch-feed.ts";
export { ImportError };

/** The bytes of a source as they were uploaded or fetched, and what to import them into. */
export type SourceBytes = {
  kind: ImportSource["kind"];
  /** The file name or address, for messages. */
  name: string;
  /** The module feed items go into; a zip names modules itself. */
  moduleSlug: string | null;
  bytes: Uint8Array;
};

/** Throws ImportError when the source cannot be read at all. */
function readSource(source: SourceBytes): ImportSource {
  if (source.kind === "zip") return zipSource(readZip(source.bytes), source.name);
  return feedSource(parseFeed(source.bytes), source.moduleSlug ?? "", source.name);
}

async function plan(db: Database, actor: CurrentUser, source: SourceBytes) {
  const read = readSource(source);
  const state = await loadImportState(
    db,
    actor,
    read.items.map((item) => item.sourceId),
  );
  if (source.kind === "feed" && !state.modules.some((module) => module.slug === source.moduleSlug)) {
    throw new ImportError("Choose the module the lectures go into.", "module");
  }
  const planned = planImport(read, state);
  return { plan: planned, fingerprint: await planFingerprint(planned) };
}

/** The dry run: what importing would create, update and skip. Writes nothing. */
export async function previewImport(
  db: Database,
  actor: CurrentUser,
  source: SourceBytes,
): Promise<{ plan: ImportPlan; fingerprint: string }> {
  return plan(db, actor, source);
}

/**
 * Writes the plan the admin previewed. The plan is made again from the same bytes; if the
 * database changed in between so that it differs, nothing is written and the new plan is
 * returned for another look.
 */
export async function applyImport(
  db: Database,
  actor: CurrentUser,
  source: SourceBytes,
  previewed: string,
  runId: string,
): Promise<
  { ok: true; plan: ImportPlan; applied: AppliedImport } | { ok: false; plan: ImportPlan; fingerprint: string }
> {
  const current = await plan(db, actor, source);
  if (current.fingerprint !== previewed) return { ok: false, ...current };
  return { ok: true, plan: current.plan, applied: await applyImportPlan(db, actor, current.plan, runId) };
}
