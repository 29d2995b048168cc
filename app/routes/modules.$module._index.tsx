import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getPublishedModule } from "../../db/queries/curriculum.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { ArrowRightIcon, CheckIcon, ClockIcon, LockIcon } from "~/components/icons";
import { ModuleWork } from "~/components/module-work";
import { ProgressBar } from "~/components/progress-bar";
import { getOptionalUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import { formatDuration, plural } from "~/lib/format";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(context);
  const found = await getPublishedModule(context.services.db, slugParam(params.module), viewer);
  return found ? { ...found, signedIn: viewer !== null } : notFound();
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta(data.module.title, data.module.summary) : pageMeta("Module not found");

export default function ModulePage() {
  const { module, lectures, fullAccess: enrolled, opening, signedIn } = useLoaderData<typeof loader>();
  // Enrolled, but the cohort's drip schedule has not reached this module yet.
  const fullAccess = enrolled && !opening;
  const minutes = lectures.reduce((sum, lecture) => sum + lecture.durationMinutes, 0);
  const done = lectures.filter((lecture) => lecture.completed).length;
  const first = lectures.find((lecture) => !lecture.completed && (fullAccess || lecture.freePreview)) ?? lectures[0];

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Curriculum", to: "/modules" }, { label: module.title }]} />
      <header className="mt-6">
        <p className="font-mono text-sm font-semibold text-accent-strong">
          Module {String(module.number).padStart(2, "0")}
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl">{module.title}</h1>
        <p className="mt-3 max-w-3xl text-lg text-muted">{module.summary}</p>
        <p className="mt-4 flex items-center gap-2 text-sm text-muted">
          <ClockIcon className="size-4" />
          {plural(lectures.length, "lecture")} · {formatDuration(minutes)}
        </p>
        {signedIn && lectures.length > 0 ? (
          <div className="mt-5 max-w-md">
            <ProgressBar
              label={`${done} of ${lectures.length} lectures completed`}
              value={done}
              max={lectures.length}
            />
          </div>
        ) : null}
        {opening ? (
          <p
            role="status"
            className="mt-6 flex max-w-3xl items-start gap-2 rounded-xl border border-line bg-surface p-4 font-medium"
          >
            <LockIcon className="mt-0.5 size-5 shrink-0 text-accent-strong" />
            <span>
              Opens on <time dateTime={opening.opensAt}>{formatInZone(opening.opensAt, opening.timezone)}</time> for
              your cohort. Until then you can read what it covers and its free preview lecture.
            </span>
          </p>
        ) : null}
        {first ? (
          <Link
            to={`/modules/${module.slug}/${first.slug}`}
            className="mt-6 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
          >
            {done > 0 ? "Continue with" : "Start with"} “{first.title}” <ArrowRightIcon className="size-4" />
          </Link>
        ) : null}
      </header>

      {module.overviewHtml ? (
        <section
          aria-label="About this module"
          className="prose mt-10 max-w-3xl"
          dangerouslySetInnerHTML={{ __html: module.overviewHtml }}
        />
      ) : null}

      <section aria-labelledby="lectures-heading" className="mt-12">
        <h2 id="lectures-heading" className="text-xl font-semibold">
          Lectures
        </h2>
        {lectures.length > 0 ? (
          <ol className="mt-4 divide-y divide-line overflow-hidden rounded-2xl border border-line bg-surface">
            {lectures.map((lecture, index) => (
              <li key={lecture.slug}>
                <Link
                  to={`/modules/${module.slug}/${lecture.slug}`}
                  className="flex gap-4 px-5 py-4 transition hover:bg-surface-2"
                >
                  <span className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-accent-soft font-mono text-sm font-semibold text-accent-strong">
                    {index + 1}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-semibold">{lecture.title}</span>
                      {lecture.freePreview ? (
                        <span className="rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-strong">
                          Free preview
                        </span>
                      ) : null}
                      {!lecture.freePreview && !fullAccess ? (
                        <span className="flex items-center gap-1 text-xs text-muted">
                          <LockIcon className="size-3.5" /> {opening ? "Opens with the module" : "Enrolled students"}
                        </span>
                      ) : null}
                      {lecture.completed ? (
                        <span className="flex items-center gap-1 text-xs font-medium text-accent-strong">
                          <CheckIcon className="size-3.5" /> Completed
                        </span>
                      ) : null}
                    </span>
                    <span className="mt-1 block text-sm text-muted">{lecture.summary}</span>
                  </span>
                  <span className="shrink-0 text-sm whitespace-nowrap text-muted">
                    {formatDuration(lecture.durationMinutes)}
                  </span>
                </Link>
              </li>
            ))}
          </ol>
        ) : (
          <div className="mt-4">
            <EmptyState title="No lectures published yet">
              This module's lectures appear here as soon as they are published. Meanwhile, browse the other modules.
            </EmptyState>
          </div>
        )}
      </section>

      <ModuleWork module={module} fullAccess={fullAccess} />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
