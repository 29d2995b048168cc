import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getCohortForEdit, updateCohort } from "../../db/queries/admin-cohorts.ts";
import { CohortEditor } from "~/components/admin-cohort-editor";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { capacityError, cohortFormValues, echo, parseCohortForm } from "~/lib/admin-cohort-form.server";
import { requireAdmin } from "~/lib/auth.server";
import { syncClockAfterEdit } from "~/lib/cohort-clock.server";
import { invalid, type FormState } from "~/lib/forms";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `Edit ${data.name} · Cohorts · Admin` : "Cohort not found"),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const cohort = await getCohortForEdit(context.services.db, admin, slugParam(params.cohort));
  if (!cohort) notFound();
  return { slug: cohort.slug, name: cohort.name, seatsTaken: cohort.seatsTaken, values: cohortFormValues(cohort) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, log } = context.services;
  const current = await getCohortForEdit(db, admin, slugParam(params.cohort));
  if (!current) notFound();
  const formData = await request.formData();
  const parsed = parseCohortForm(formData, { seatsTaken: current.seatsTaken });
  if (!parsed.ok) return invalid(parsed.state);

  const result = await updateCohort(db, admin, current.id, parsed.draft);
  if (!result.ok) {
    switch (result.reason) {
      case "not_found":
        return notFound();
      case "slug_taken":
        return invalid({ fields: echo(formData), errors: { slug: "Another cohort uses this slug; choose another." } });
      case "below_seats":
        return invalid({ fields: echo(formData), errors: { capacity: capacityError(result.seatsTaken) } });
    }
  }
  const synced = await syncClockAfterEdit(context.cloudflare.env, db, log, current.id);
  return redirect(
    `/admin/cohorts/${result.slug}?${new URLSearchParams({ edited: "1", ...(synced ? {} : { clock: "later" }) })}`,
  );
}

export default function EditCohort() {
  const { slug, name, seatsTaken, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Cohorts", to: "/admin/cohorts" },
          { label: name, to: `/admin/cohorts/${slug}` },
          { label: "Edit" },
        ]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Edit {name}</h1>
      <p className="mt-2 mb-8 text-muted">
        Changing the start moves every module release with it; the live countdown learns the new dates when you save.
      </p>
      <CohortEditor
        state={result?.state}
        initial={values}
        seatsTaken={seatsTaken}
        submitLabel="Save changes"
        pendingLabel="Saving…"
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
