import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
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
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Cohorts</h1>
        <Link
          to="/admin/cohorts/new"
          className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
        >
          New cohort
        </Link>
      </div>
      <p className="mt-2 text-muted">
        Every cohort, newest start first. Dates are shown in each cohort's own timezone; seats count active and pending
        enrolments.
      </p>
      <div className="mt-8">
        {cohorts.length === 0 ? (
          <EmptyState title="No cohorts yet">Create the first one with New cohort.</EmptyState>
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
