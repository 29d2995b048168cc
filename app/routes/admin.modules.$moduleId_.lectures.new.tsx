import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createLecture, getModuleForNewLecture } from "../../db/queries/admin-lectures.ts";
import { LectureEditor, type LectureEditorValues } from "~/components/admin-lecture-editor";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import {
  idParam,
  LECTURE_ECHO,
  lectureDraft,
  lectureForm,
  previewAnswer,
  slugProblem,
} from "~/lib/admin-content.server";
import { requireAdmin } from "~/lib/auth.server";
import { invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `New lecture · ${data.module.title} · Admin` : "Module not found"),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const module = await getModuleForNewLecture(context.services.db, admin, idParam(params.moduleId));
  if (!module) notFound();
  return { module };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const moduleId = idParam(params.moduleId);
  const formData = await request.formData();
  if (formData.get("intent") === "preview") return previewAnswer(formData);

  const parsed = parseForm(formData, lectureForm, LECTURE_ECHO);
  if (!parsed.ok) return invalid(parsed.state, { intent: "save" });
  const result = await createLecture(context.services.db, admin, moduleId, lectureDraft(parsed.data));
  if (!result.ok) return slugProblem(result, "lecture", formData, LECTURE_ECHO, "save");
  return redirect(`/admin/lectures/${result.id}?created=1`);
}

const EMPTY: LectureEditorValues = {
  title: "",
  slug: "",
  summary: "",
  durationMinutes: "",
  freePreview: false,
  published: false,
  bodyMarkdown: "",
};

export default function NewLecture() {
  const { module } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState; previewHtml?: string } | undefined;
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Content", to: "/admin/modules" },
          { label: module.title, to: `/admin/modules/${module.id}` },
          { label: "New lecture" },
        ]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">New lecture</h1>
      <p className="mt-2 text-muted">
        It goes at the end of “{module.title}”. Saving keeps it as a draft unless you tick Published.
      </p>
      <div className="mt-8">
        <LectureEditor
          values={EMPTY}
          state={result?.state}
          previewHtml={result?.previewHtml ?? ""}
          moduleSlug={module.slug}
          withNote={false}
        />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
