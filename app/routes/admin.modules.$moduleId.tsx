import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { deleteModule, getModuleForAdmin, studentRecordTotal, updateModule } from "../../db/queries/admin-content.ts";
import { moveLecture } from "../../db/queries/admin-lectures.ts";
import { ConfirmAction } from "~/components/admin-confirm";
import { ContentStatusBadge } from "~/components/admin-content-fields";
import { ModuleForm } from "~/components/admin-module-form";
import { AdminModuleLectures, describeRecords } from "~/components/admin-module-lectures";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import {
  deleteLectureObjects,
  idParam,
  MODULE_ECHO,
  moduleForm,
  slugProblem,
  syncClocksAfterModuleChange,
} from "~/lib/admin-content.server";
import { requireAdmin } from "~/lib/auth.server";
import { plural } from "~/lib/format";
import { invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `${data.module.title} · Content · Admin` : "Module not found"),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const found = await getModuleForAdmin(context.services.db, admin, idParam(params.moduleId));
  if (!found) notFound();
  const { module, lectures, records } = found;
  return {
    module: {
      id: module.id,
      slug: module.slug,
      title: module.title,
      summary: module.summary,
      overviewMarkdown: module.overviewMarkdown,
      published: module.published,
      releaseOffsetDays: module.releaseOffsetDays,
      releaseTime: module.releaseTime,
    },
    lectures,
    records,
    studentRecords: studentRecordTotal(records),
  };
}

const lectureMove = z.object({ id: z.coerce.number().int().positive(), direction: z.enum(["up", "down"]) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db } = context.services;
  const moduleId = idParam(params.moduleId);
  const here = `/admin/modules/${moduleId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");

  if (intent === "move-lecture") {
    const parsed = lectureMove.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw data(null, { status: 400 });
    const result = await moveLecture(db, admin, parsed.data.id, parsed.data.direction);
    if (!result.ok || result.moduleId !== moduleId) notFound();
    return redirect(result.moved ? `${here}?${new URLSearchParams({ moved: result.title })}` : here);
  }

  if (intent === "delete") {
    const result = await deleteModule(db, admin, moduleId);
    if (!result.ok) notFound();
    await deleteLectureObjects(context, result.fileKeys);
    if (result.wasPublished) await syncClocksAfterModuleChange(context);
    return redirect(`/admin/modules?${new URLSearchParams({ deleted: result.title })}`);
  }

  const parsed = parseForm(formData, moduleForm, MODULE_ECHO);
  if (!parsed.ok) return invalid(parsed.state, { intent: "save" });
  const result = await updateModule(db, admin, moduleId, parsed.data);
  if (!result.ok) return slugProblem(result, "module", formData, MODULE_ECHO, "save");
  if (result.scheduleChanged) await syncClocksAfterModuleChange(context);
  return redirect(`${here}?saved=1`);
}

export default function AdminModule() {
  const { module, lectures, records, studentRecords } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const [search] = useSearchParams();
  const notice = result ? null : noticeFrom(search);

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Admin", to: "/admin" }, { label: "Content", to: "/admin/modules" }, { label: module.title }]}
      />
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{module.title}</h1>
        <ContentStatusBadge published={module.published} />
      </div>
      <p className="mt-2 text-sm text-muted">
        {module.published ? (
          <Link to={`/modules/${module.slug}`} className="underline hover:text-ink">
            View on site
          </Link>
        ) : (
          "A draft: students see neither this module nor any of its lectures until it is published."
        )}
      </p>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
      </div>

      <section aria-labelledby="lectures-heading" className="mt-8">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <h2 id="lectures-heading" className="text-xl font-semibold">
            Lectures
          </h2>
          <Link
            to={`/admin/modules/${module.id}/lectures/new`}
            className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
          >
            New lecture
          </Link>
        </div>
        <AdminModuleLectures lectures={lectures} moduleId={module.id} />
      </section>

      <section aria-labelledby="details-heading" className="mt-10">
        <h2 id="details-heading" className="mb-4 text-xl font-semibold">
          Module details
        </h2>
        <ModuleForm
          key={JSON.stringify(module)}
          values={{
            ...module,
            releaseOffsetDays: String(module.releaseOffsetDays),
            releaseTime: module.releaseTime ?? "",
          }}
          state={result?.state}
          submitLabel="Save module"
          pendingLabel="Saving…"
        />
      </section>

      <section aria-labelledby="danger-heading" className="mt-10">
        <h2 id="danger-heading" className="mb-3 text-xl font-semibold">
          Delete
        </h2>
        <ConfirmAction summary="Delete this module…" intent="delete" confirm="Delete module for good">
          <p>
            Deleting “{module.title}” also deletes its {plural(lectures.length, "lecture")} (with their version history
            and {plural(records.files, "file")}), its quiz and its project, and{" "}
            {studentRecords === 0 ? "no student records" : `${plural(studentRecords, "student record")}`}
            {studentRecords > 0 ? `: ${describeRecords(records)}` : ""}.
          </p>
          <p className="font-medium">This cannot be undone.</p>
        </ConfirmAction>
      </section>
    </div>
  );
}

/** What the last action did, read from the redirect's query string. */
function noticeFrom(search: URLSearchParams): string | null {
  if (search.get("created")) return "Module created. Add its lectures, then publish it.";
  if (search.get("saved")) return "Module saved.";
  const moved = search.get("moved");
  if (moved) return `Moved “${moved}”.`;
  const deleted = search.get("deleted");
  if (deleted) return `Deleted the lecture “${deleted}”.`;
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
