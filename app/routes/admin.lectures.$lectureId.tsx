import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import {
  deleteLecture,
  getLectureForEditor,
  moveLectureToModule,
  updateLecture,
} from "../../db/queries/admin-lectures.ts";
import { ConfirmAction } from "~/components/admin-confirm";
import { ContentStatusBadge } from "~/components/admin-content-fields";
import { LectureEditor } from "~/components/admin-lecture-editor";
import { describeRecords } from "~/components/admin-module-lectures";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import {
  deleteLectureObjects,
  idParam,
  LECTURE_ECHO,
  lectureDraft,
  lectureForm,
  previewAnswer,
  slugProblem,
} from "~/lib/admin-content.server";
import { requireAdmin } from "~/lib/auth.server";
import { plural } from "~/lib/format";
import { invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `Edit: ${data.lecture.title} · Admin` : "Lecture not found"),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const found = await getLectureForEditor(context.services.db, admin, idParam(params.lectureId));
  if (!found) notFound();
  return found;
}

const moveForm = z.object({
  moduleId: z.coerce.number({ error: "Choose a module." }).int().positive("Choose a module."),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db } = context.services;
  const lectureId = idParam(params.lectureId);
  const here = `/admin/lectures/${lectureId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");

  if (intent === "preview") return previewAnswer(formData);

  if (intent === "move-module") {
    const parsed = moveForm.safeParse({ moduleId: formData.get("moduleId") });
    if (!parsed.success) throw data(null, { status: 400 });
    const result = await moveLectureToModule(db, admin, lectureId, parsed.data.moduleId);
    if (!result.ok && result.reason === "slug_taken") {
      const message = "A lecture of that module already uses this lecture's slug: change the slug first.";
      return invalid(
        { fields: { moduleId: String(parsed.data.moduleId) }, errors: { moduleId: message } },
        { status: 409, intent },
      );
    }
    if (!result.ok) notFound();
    return redirect(`${here}?${new URLSearchParams({ moved: result.moduleTitle })}`);
  }

  if (intent === "delete") {
    const result = await deleteLecture(db, admin, lectureId);
    if (!result.ok) notFound();
    await deleteLectureObjects(context, result.fileKeys);
    return redirect(`/admin/modules/${result.moduleId}?${new URLSearchParams({ deleted: result.title })}`);
  }

  const parsed = parseForm(formData, lectureForm, LECTURE_ECHO);
  if (!parsed.ok) return invalid(parsed.state, { intent: "save" });
  const note = parsed.data.note || "Edited";
  const result = await updateLecture(db, admin, lectureId, lectureDraft(parsed.data), note);
  if (!result.ok) return slugProblem(result, "lecture", formData, LECTURE_ECHO, "save");
  return redirect(`${here}?saved=1`);
}

type ActionResult = { state?: FormState; intent?: string; previewHtml?: string } | undefined;

export default function EditLecture() {
  const { lecture, modules, records, latestVersionId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const editorState = result?.intent === "save" || result?.intent === "preview" ? result.state : undefined;
  const moveError = result?.intent === "move-module" ? result.state?.errors.moduleId : undefined;
  const [search] = useSearchParams();
  const notice = result ? null : noticeFrom(search);
  const visible = lecture.published && lecture.modulePublished;
  const linkClass = "font-medium text-accent-strong underline underline-offset-2 hover:no-underline";

  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Content", to: "/admin/modules" },
          { label: lecture.moduleTitle, to: `/admin/modules/${lecture.moduleId}` },
          { label: lecture.title },
        ]}
      />
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight text-balance">{lecture.title}</h1>
        <ContentStatusBadge published={lecture.published} />
      </div>
      <nav aria-label="Lecture" className="mt-3 flex flex-wrap gap-x-5 gap-y-2 text-sm">
        {visible ? (
          <Link to={`/modules/${lecture.moduleSlug}/${lecture.slug}`} className={linkClass}>
            View on site
          </Link>
        ) : null}
        <Link to={`/admin/lectures/${lecture.id}/files`} className={linkClass}>
          Files
        </Link>
        <Link to={`/admin/lectures/${lecture.id}/history`} className={linkClass}>
          History
        </Link>
      </nav>
      {!visible ? (
        <p className="mt-2 text-sm text-muted">
          {lecture.published
            ? "Not on the site yet: its module is a draft. Students see it once the module is published."
            : "Not on the site: it is a draft, seen only by admins."}
        </p>
      ) : null}
      <div aria-live="polite" className="mt-4 empty:hidden">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
      </div>

      <div className="mt-8">
        <LectureEditor
          key={latestVersionId}
          values={{ ...lecture, durationMinutes: String(lecture.durationMinutes) }}
          state={editorState}
          previewHtml={result?.previewHtml ?? lecture.bodyHtml}
          moduleSlug={lecture.moduleSlug}
          withNote
        />
      </div>

      <div className="mt-12 grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="move-heading" className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
          <h2 id="move-heading" className="text-lg font-semibold">
            Move to another module
          </h2>
          <p className="mt-1 text-sm text-muted">It goes to the end of the module you choose.</p>
          <Form method="post" className="mt-4 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="move-module" />
            <div className="min-w-56 flex-1">
              <label htmlFor="move-module" className="block text-sm font-medium">
                Module
              </label>
              <select
                id="move-module"
                name="moduleId"
                defaultValue={lecture.moduleId}
                aria-invalid={moveError ? true : undefined}
                aria-describedby={moveError ? "move-module-error" : undefined}
                className="mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
              >
                {modules.map((module) => (
                  <option key={module.id} value={module.id}>
                    {module.title}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
              Move lecture
            </button>
          </Form>
          {moveError ? (
            <p id="move-module-error" className="mt-2 text-sm text-red-700 dark:text-red-400">
              {moveError}
            </p>
          ) : null}
        </section>

        <section aria-labelledby="delete-heading" className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete
          </h2>
          <ConfirmAction
            summary="Delete this lecture…"
            intent="delete"
            confirm="Delete lecture for good"
            className="mt-3"
          >
            <p>
              Deleting “{lecture.title}” also deletes its version history, {plural(records.files, "file")} and{" "}
              {describeRecords(records)}.
            </p>
            <p className="font-medium">This cannot be undone.</p>
          </ConfirmAction>
        </section>
      </div>
    </div>
  );
}

/** What the last action did, read from the redirect's query string. */
function noticeFrom(search: URLSearchParams): string | null {
  if (search.get("created")) return "Lecture created. Its first version is in the history.";
  if (search.get("saved")) return "Saved. The previous text is kept in the history.";
  if (search.get("restored")) return `Restored version ${search.get("restored")}. It is saved as a new version.`;
  const moved = search.get("moved");
  if (moved) return `Moved to “${moved}”.`;
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
