import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { listReviewQueue } from "../../db/queries/projects.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { ProjectQueueTable } from "~/components/project-queue-table";
import { requireAdmin } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Project reviews"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  return listReviewQueue(context.services.db, admin);
}

const REVIEWED: Record<string, string> = {
  approved: "Approved. The student sees it on their project page.",
  changes_requested: "Changes requested. The student sees your feedback and can submit again.",
};

export default function ProjectReviews() {
  const { awaiting, recent } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const reviewed = REVIEWED[params.get("reviewed") ?? ""];
  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Project reviews" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Project reviews</h1>
      <p className="mt-2 text-muted">
        {awaiting.length === 0
          ? "Nothing is waiting for review."
          : `${awaiting.length} ${awaiting.length === 1 ? "submission is" : "submissions are"} waiting, oldest first.`}
      </p>
      {reviewed ? (
        <div className="mt-6">
          <Alert tone="success">{reviewed}</Alert>
        </div>
      ) : null}

      <section aria-labelledby="awaiting-heading" className="mt-8">
        <h2 id="awaiting-heading" className="text-xl font-semibold">
          Awaiting review
        </h2>
        <div className="mt-4">
          {awaiting.length > 0 ? (
            <ProjectQueueTable entries={awaiting} caption="Submissions awaiting review, oldest first" />
          ) : (
            <EmptyState title="All caught up">
              New submissions appear here as students hand in their projects.{" "}
              <Link to="/admin" className="text-accent-strong underline">
                Back to the admin overview
              </Link>
            </EmptyState>
          )}
        </div>
      </section>

      {recent.length > 0 ? (
        <section aria-labelledby="recent-heading" className="mt-12">
          <h2 id="recent-heading" className="text-xl font-semibold">
            Recently reviewed
          </h2>
          <div className="mt-4">
            <ProjectQueueTable entries={recent} caption="Latest review decisions, newest first" reviewed />
          </div>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
