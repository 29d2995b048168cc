import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listProjectsWithStatus } from "../../db/queries/projects.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { ArrowRightIcon } from "~/components/icons";
import { ProgressBar } from "~/components/progress-bar";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { getOptionalUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () =>
  pageMeta(
    "Hands-on projects",
    "One real project per module, from a locked-down Linux server to a monitored Kubernetes deployment, reviewed by the school.",
  );

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(context);
  return { projects: await listProjectsWithStatus(context.services.db, viewer), signedIn: viewer !== null };
}

export default function Projects() {
  const { projects, signedIn } = useLoaderData<typeof loader>();
  const required = projects.filter((project) => project.required);
  const approved = required.filter((project) => project.status === "approved").length;
  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Hands-on projects</h1>
      <p className="mt-2 max-w-3xl text-muted">
        Every module ends with a project you build in your own repository and hand in for review. Reviewers approve it
        or tell you what to change; required projects count towards your certificate.
      </p>
      {signedIn && required.length > 0 ? (
        <div className="mt-6 max-w-md">
          <ProgressBar
            label={`${approved} of ${required.length} required projects approved`}
            value={approved}
            max={required.length}
          />
        </div>
      ) : null}
      {projects.length === 0 ? (
        <div className="mt-8">
          <EmptyState title="No projects published yet">
            Projects appear here with their modules. Meanwhile,{" "}
            <Link to="/modules" className="text-accent-strong underline">
              start on the curriculum
            </Link>
            .
          </EmptyState>
        </div>
      ) : (
        <ol className="mt-8 grid gap-4 sm:grid-cols-2">
          {projects.map((project) => (
            <li key={project.moduleSlug} className="flex flex-col rounded-2xl border border-line bg-surface p-5">
              <p className="text-xs font-medium tracking-wide text-muted uppercase">{project.moduleTitle}</p>
              <h2 className="mt-1 font-semibold">{project.projectTitle}</h2>
              <p className="mt-2 flex-1 text-sm text-muted">{project.summary}</p>
              <div className="mt-3 flex flex-wrap items-center gap-2">
                <span className="rounded-full bg-surface-2 px-2.5 py-0.5 text-xs font-medium text-muted">
                  {project.required ? "Required for the certificate" : "Optional"}
                </span>
                {signedIn ? <ProjectStatusBadge status={project.status} /> : null}
              </div>
              <Link
                to={`/modules/${project.moduleSlug}/project`}
                className="mt-4 inline-flex items-center gap-1 self-start font-semibold text-accent-strong hover:underline"
              >
                Read the brief<span className="sr-only">: {project.projectTitle}</span>
                <ArrowRightIcon className="size-4" />
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
