import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { cohortPhase } from "../../db/cohorts/release.ts";
import { listCohortsForAdmin } from "../../db/queries/cohorts.ts";
import { AdminCohortTable, type CohortRow } from "~/components/admin-cohort-table";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { requireAdmin } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Cohorts · Admin"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const now = new Date();
  const cohorts = await listCohortsForAdmin(context.services.db, admin);
  return {
    cohorts: cohorts.map((cohort): CohortRow => ({
      slug: cohort.slug,
      name: cohort.name,
      timezone: cohort.timezone,
      phase: cohortPhase(cohort, now),
      startsAt: cohort.startsAt.toISOString(),
      endsAt: cohort.endsAt.toISOString(),
      seatsTaken: cohort.seatsTaken,
      capacity: cohort.capacity,
    })),
  };
}

export default function AdminCohorts() {
  const { cohorts } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Cohorts" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Cohorts</h1>
      <p className="mt-2 text-muted">
        Every cohort, newest start first. Dates are shown in each cohort's own timezone; seats count active and pending
        enrolments.
      </p>
      <div className="mt-8">
        {cohorts.length === 0 ? (
          <EmptyState title="No cohorts yet">Cohorts appear here once they are created.</EmptyState>
        ) : (
          <AdminCohortTable cohorts={cohorts} />
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
