import {
  data,
  redirect,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { FEED_MAX_BYTES, ZIP_MAX_BYTES, megabytes } from "../../db/import/limits.ts";
import type * as Run from "../../db/import/run.ts";
import { getImportPage } from "../../db/queries/import-page.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { cleanFileName } from "../../worker/uploads/file-kinds.ts";
import {
  discardStagedImport,
  loadStagedImport,
  sweepStaleImports,
  stageImport,
  type StagedImport,
} from "../../worker/uploads/import-staging.ts";
import { ImportPreview, type PreviewData } from "~/components/admin-import-preview";
import { ImportedLectures } from "~/components/admin-import-result";
import { ImportSourceForm } from "~/components/admin-import-form";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { requireAdmin } from "~/lib/auth.server";
import { parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Import · Admin"), { name: "robots", content: "noindex" }];

/** `?created=1,2&updated=3&skipped=4`: what the last import did (set by the action's redirect). */
function importedIds(value: string | null): number[] {
  return value && /^\d{1,10}(,\d{1,10}){0,999}$/.test(value) ? value.split(",").map(Number) : [];
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const search = new URL(request.url).searchParams;
  const created = importedIds(search.get("created"));
  const updated = importedIds(search.get("updated"));
  const page = await getImportPage(context.services.db, admin, [...created, ...updated]);
  const done = search.has("created") || search.has("updated");
  return {
    modules: page.modules,
    result: done
      ? {
          created: page.lectures.filter((lecture) => created.includes(lecture.id)),
          updated: page.lectures.filter((lecture) => updated.includes(lecture.id)),
          skipped: Number(search.get("skipped")) || 0,
        }
      : null,
  };
}

export type ImportActionData = { stage: "form"; state: FormState } | { stage: "preview"; preview: PreviewData };

const ECHO = ["source", "url", "module"];
const MAX_REQUEST_BYTES = Math.max(FEED_MAX_BYTES, ZIP_MAX_BYTES) + 1024 * 1024;

const moduleField = z
  .string({ error: "Choose the module the lectures go into." })
  .min(1, "Choose the module the lectures go into.")
  .max(80, "Choose one of the modules.");

const previewForm = z.discriminatedUnion(
  "source",
  [
    z.object({
      source: z.literal("url"),
      url: z
        .string({ error: "Enter the feed's address." })
        .trim()
        .min(1, "Enter the feed's address.")
        .max(2000, "That address is too long."),
      module: moduleField,
    }),
    z.object({ source: z.literal("file"), module: moduleField }),
    z.object({ source: z.literal("zip") }),
  ],
  { error: "Choose where the lectures come from." },
);

const applyForm = z.object({
  importId: z.string().regex(/^[0-9a-f-]{36}$/, "This preview is not valid: preview the import again."),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "This preview is not valid: preview the import again."),
});

function failure(state: FormState, status = 400) {
  return data<ImportActionData>({ stage: "form", state }, { status });
}

const formFailure = (formError: string, status: number, fields: Record<string, string> = {}) =>
  failure({ fields, errors: {}, formError }, status);

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_REQUEST_BYTES) {
    return formFailure(
      `That upload is too large: a feed can be up to ${megabytes(FEED_MAX_BYTES)}, a zip up to ${megabytes(ZIP_MAX_BYTES)}.`,
      413,
    );
  }
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return formFailure("That submission could not be read. Please try again.", 400);
  }
  // The import code is loaded only here, when an import runs.
  const importer = await import("../../db/import/run.ts");
  return formData.get("intent") === "apply"
    ? applyStep(context, admin, formData, importer)
    : previewStep(context, admin, formData, importer);
}

type Importer = typeof Run;

async function previewStep(context: AppLoadContext, admin: CurrentUser, formData: FormData, importer: Importer) {
  const parsed = parseForm(formData, previewForm, ECHO);
  if (!parsed.ok) return failure(parsed.state);
  const form = parsed.data;
  const fields = Object.fromEntries(
    ECHO.map((key) => [key, formData.get(key)]).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  const bucket = context.cloudflare.env.LECTURE_ASSETS;

  let source: StagedImport;
  try {
    if (form.source === "url") {
      const fetched = await importer.fetchFeed(form.url);
      source = { kind: "feed", name: fetched.name, moduleSlug: form.module, bytes: fetched.bytes };
    } else {
      const field = form.source === "zip" ? "zipFile" : "feedFile";
      const file = formData.get(field);
      if (!(file instanceof File) || file.size === 0) {
        const message = form.source === "zip" ? "Choose the zip file to import." : "Choose the feed file to import.";
        return failure({ fields, errors: { [field]: message } });
      }
      source = {
        kind: form.source === "zip" ? "zip" : "feed",
        name: cleanFileName(file.name).slice(0, 100) || "upload",
        moduleSlug: form.source === "file" ? form.module : null,
        bytes: new Uint8Array(await file.arrayBuffer()),
      };
    }
    const { plan, fingerprint } = await importer.previewImport(context.services.db, admin, source);
    const importId = await stageImport(bucket, admin, source);
    context.cloudflare.ctx.waitUntil(sweepStaleImports(bucket));
    return data<ImportActionData>({ stage: "preview", preview: previewData(plan, fingerprint, importId) });
  } catch (error) {
    if (!(error instanceof importer.ImportError)) throw error;
    const field = error.field ?? sourceField(form.source);
    return failure({ fields, errors: { [field]: error.message } }, 422);
  }
}

async function applyStep(context: AppLoadContext, admin: CurrentUser, formData: FormData, importer: Importer) {
  const parsed = parseForm(formData, applyForm);
  if (!parsed.ok) return formFailure(Object.values(parsed.state.errors)[0]!, 400);
  const { importId, fingerprint } = parsed.data;
  const { db, log } = context.services;
  const bucket = context.cloudflare.env.LECTURE_ASSETS;
  const source = await loadStagedImport(bucket, admin, importId);
  if (!source) {
    return formFailure(
      "This preview is no longer available: it was imported already, or it expired. Preview the source again.",
      410,
    );
  }
  let result: Awaited<ReturnType<Importer["applyImport"]>>;
  try {
    result = await importer.applyImport(db, admin, source, fingerprint, importId);
  } catch (error) {
    if (error instanceof importer.ImportError) return formFailure(error.message, 422);
    log.error("import failed to write", { importId, error });
    return formFailure(
      "The import could not be written, so nothing was changed: another change may have taken one of its slugs. Preview it again.",
      409,
    );
  }
  if (!result.ok) {
    const preview = previewData(result.plan, result.fingerprint, importId);
    preview.notice = "The lectures changed since your preview, so nothing was imported. This is the plan now.";
    return data<ImportActionData>({ stage: "preview", preview }, { status: 409 });
  }
  await discardStagedImport(bucket, importId);
  const { created, updated } = result.applied;
  const query = new URLSearchParams({
    created: created.join(","),
    updated: updated.join(","),
    skipped: String(result.plan.counts.skip),
  });
  return redirect(`/admin/import?${query}`);
}

/** What the page shows of a plan: no lecture bodies, only what the table needs. */
function previewData(
  plan: Awaited<ReturnType<Importer["previewImport"]>>["plan"],
  fingerprint: string,
  importId: string,
): PreviewData {
  return {
    importId,
    fingerprint,
    kind: plan.kind,
    label: plan.label,
    counts: plan.counts,
    rows: plan.rows.map(({ write: _write, ...row }) => row),
    notice: null,
  };
}

const sourceField = (source: "url" | "file" | "zip") =>
  source === "url" ? "url" : source === "zip" ? "zipFile" : "feedFile";

export default function AdminImport() {
  const { modules, result } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ImportActionData | undefined;
  const preview = actionData?.stage === "preview" ? actionData.preview : null;
  const state = actionData?.stage === "form" ? actionData.state : undefined;

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Import" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Import lectures</h1>
      <p className="mt-2 max-w-3xl text-muted">
        Bring in posts from an RSS or Atom feed as draft lectures, or lectures kept as markdown files in a zip. You see
        what would be created, updated and skipped before anything is written; importing the same source again updates
        its lectures instead of adding copies.
      </p>
      <div aria-live="polite" className="mt-6 empty:hidden">
        {result && !actionData ? <ImportedLectures {...result} /> : null}
      </div>
      {preview ? <ImportPreview preview={preview} /> : <ImportSourceForm modules={modules} state={state} />}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
