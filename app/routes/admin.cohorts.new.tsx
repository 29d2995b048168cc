import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData } from "@remix-run/react";
import { createCohort } from "../../db/queries/admin-cohorts.ts";
import { CohortEditor } from "~/components/admin-cohort-editor";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { echo, parseCohortForm } from "~/lib/admin-cohort-form.server";
import { requireAdmin } from "~/lib/auth.server";
import { syncClockAfterEdit } from "~/lib/cohort-clock.server";
import { invalid, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("New cohort · Admin"), { name: "robots", content: "noindex" }];

/** A new cohort starts from these; the admin fills in the rest. */
const BLANK = { courseTitle: "DevOps Engineering", timezone: "Asia/Bishkek", currency: "USD" };

export async function loader({ context }: LoaderFunctionArgs) {
  await requireAdmin(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, log } = context.services;
  const formData = await request.formData();
  const parsed = parseCohortForm(formData);
  if (!parsed.ok) return invalid(parsed.state);

  const result = await createCohort(db, admin, parsed.draft);
  if (!result.ok) {
    return invalid({ fields: echo(formData), errors: { slug: "Another cohort uses this slug; choose another." } });
  }
  const synced = await syncClockAfterEdit(context.cloudflare.env, db, log, result.id);
  return redirect(
    `/admin/cohorts/${result.slug}?${new URLSearchParams({ created: "1", ...(synced ? {} : { clock: "later" }) })}`,
  );
}

export default function NewCohort() {
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Admin", to: "/admin" }, { label: "Cohorts", to: "/admin/cohorts" }, { label: "New cohort" }]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">New cohort</h1>
      <p className="mt-2 mb-8 text-muted">
        Students can enrol between the enrolment dates while seats are free. Modules open on the schedule counted from
        the start.
      </p>
      <CohortEditor state={result?.state} initial={BLANK} submitLabel="Create cohort" pendingLabel="Creating…" />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
