import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { deleteLectureFile, getLectureFileLibrary, setLectureVideo } from "../../db/queries/lecture-files.ts";
import { ACCEPTED_LECTURE_FILES } from "../../worker/uploads/lecture-files.ts";
import { ConfirmAction } from "~/components/admin-confirm";
import { AdminFileUpload } from "~/components/admin-file-upload";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { fileTypeLabel } from "~/components/lecture-downloads";
import { formatFileSize, formatWhen } from "~/components/project-submission-card";
import { requireAdmin } from "~/lib/auth.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `Files · ${data.lecture.title} · Admin` : "Lecture not found"),
  { name: "robots", content: "noindex" },
];

function lectureIdParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) notFound();
  return Number(value);
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const library = await getLectureFileLibrary(context.services.db, admin, lectureIdParam(params.lectureId));
  if (!library) notFound();
  return { ...library, accepted: ACCEPTED_LECTURE_FILES };
}

const fileForm = z.object({
  intent: z.enum(["video", "delete"], { error: "That action was not understood." }),
  fileId: z.uuid("Choose one of the lecture's files."),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, env, log } = context.services;
  const lectureId = lectureIdParam(params.lectureId);
  const formData = await request.formData();
  const parsed = parseForm(formData, fileForm);
  if (!parsed.ok) return invalid(parsed.state);
  const { intent, fileId } = parsed.data;
  const here = `/admin/lectures/${lectureId}/files`;
  const gone = "That file is not in this lecture's library any more: another admin may have deleted it.";

  if (intent === "video") {
    const result = await setLectureVideo(db, admin, lectureId, fileId);
    if (result.ok) return redirect(`${here}?${new URLSearchParams({ video: result.fileName })}`);
    const message = result.reason === "not_video" ? "Only a video file can be the lecture's video." : gone;
    return formError(formData, message, [], { status: result.reason === "not_video" ? 400 : 404 });
  }

  const deleted = await deleteLectureFile(db, admin, lectureId, fileId);
  if (!deleted) return formError(formData, gone, [], { status: 404 });
  try {
    await env.LECTURE_ASSETS.delete(deleted.key);
  } catch (error) {
    // The row is gone, so nobody can reach the object; it only costs storage until removed.
    log.error("R2 delete of a lecture file failed", { key: deleted.key, error });
  }
  return redirect(`${here}?${new URLSearchParams({ deleted: deleted.fileName })}`);
}

function successNotice(search: URLSearchParams): string | null {
  const video = search.get("video");
  if (video) return `“${video}” is now the lecture's video.`;
  const deleted = search.get("deleted");
  return deleted ? `Deleted “${deleted}”.` : null;
}

export default function LectureFiles() {
  const { lecture, files, accepted } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const [search] = useSearchParams();
  const notice = successNotice(search);
  const error = result?.state?.formError ?? Object.values(result?.state?.errors ?? {})[0];
  const editor = `/admin/lectures/${lecture.id}`;

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Modules", to: "/admin/modules" },
          { label: lecture.title, to: editor },
          { label: "Files" },
        ]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight text-balance">Files of “{lecture.title}”</h1>
      <p className="mt-2 text-sm text-muted">
        {lecture.moduleTitle} ·{" "}
        <Link to={editor} className="underline hover:text-ink">
          edit the lecture
        </Link>
        {lecture.live ? (
          <>
            {" "}
            ·{" "}
            <Link to={`/modules/${lecture.moduleSlug}/${lecture.slug}`} className="underline hover:text-ink">
              view it as students do
            </Link>
          </>
        ) : null}
      </p>
      <p className="mt-2 max-w-3xl text-sm text-muted">
        Students who may read the lecture see its files as downloads below the text, except the lecture's video, which
        plays at the top.
      </p>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {error ? <Alert tone="error">{error}</Alert> : notice ? <Alert tone="success">{notice}</Alert> : null}
      </div>

      <section aria-labelledby="library-heading" className="mt-8">
        <h2 id="library-heading" className="mb-4 text-xl font-semibold">
          Library
        </h2>
        {files.length === 0 ? (
          <EmptyState title="No files yet">Upload slides, handouts, images or the lecture's video below.</EmptyState>
        ) : (
          <DataTable headings={["Name", "Type", "Size", "Uploaded", "Actions"]}>
            {files.map((file) => (
              <tr key={file.id} className="align-top">
                <th scope="row" className="px-4 py-3 font-medium break-all">
                  {file.fileName}
                  {file.isLectureVideo ? (
                    <span className="ml-2 rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium whitespace-nowrap text-accent-strong">
                      Lecture video
                    </span>
                  ) : null}
                </th>
                <td className="px-4 py-3">{fileTypeLabel(file.contentType)}</td>
                <td className="px-4 py-3 whitespace-nowrap">{formatFileSize(file.size)}</td>
                <td className="px-4 py-3">
                  {formatWhen(file.createdAt)}
                  <span className="block text-muted">{`by ${file.uploaderName ?? "a deleted account"}`}</span>
                </td>
                <td className="space-y-2 px-4 py-3">
                  {file.contentType.startsWith("video/") && !file.isLectureVideo ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="video" />
                      <input type="hidden" name="fileId" value={file.id} />
                      <button type="submit" className="text-sm font-medium text-accent-strong underline">
                        Use as lecture video
                      </button>
                    </Form>
                  ) : null}
                  <ConfirmAction summary="Delete…" intent="delete" fields={{ fileId: file.id }} confirm="Delete file">
                    <p>
                      Delete “{file.fileName}”? Students lose the download
                      {file.isLectureVideo ? " and the lecture loses its video" : ""}. This cannot be undone.
                    </p>
                  </ConfirmAction>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="mt-10">
        <AdminFileUpload lectureId={lecture.id} accepted={accepted} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
