import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData } from "@remix-run/react";
import { createModule } from "../../db/queries/admin-content.ts";
import { EMPTY_MODULE, ModuleForm } from "~/components/admin-module-form";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { MODULE_ECHO, moduleForm, slugProblem, syncClocksAfterModuleChange } from "~/lib/admin-content.server";
import { requireAdmin } from "~/lib/auth.server";
import { invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [
  ...pageMeta("New module · Content · Admin"),
  { name: "robots", content: "noindex" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAdmin(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const formData = await request.formData();
  const parsed = parseForm(formData, moduleForm, MODULE_ECHO);
  if (!parsed.ok) return invalid(parsed.state, { intent: "save" });
  const result = await createModule(context.services.db, admin, parsed.data);
  if (!result.ok) return slugProblem(result, "module", formData, MODULE_ECHO, "save");
  if (parsed.data.published) await syncClocksAfterModuleChange(context);
  return redirect(`/admin/modules/${result.id}?created=1`);
}

export default function NewModule() {
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Admin", to: "/admin" }, { label: "Content", to: "/admin/modules" }, { label: "New module" }]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">New module</h1>
      <p className="mt-2 text-muted">
        It goes at the end of the course. Leave it unpublished while you add its lectures: students see it only once it
        is published.
      </p>
      <div className="mt-8">
        <ModuleForm values={EMPTY_MODULE} state={result?.state} submitLabel="Create module" pendingLabel="Creating…" />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
