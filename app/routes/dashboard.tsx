import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getDashboard } from "../../db/queries/dashboard.ts";
import { CohortCountdown, CohortStatus } from "~/components/cohort-countdown";
import { DashboardCertificate } from "~/components/dashboard-certificate";
import { DashboardPractice } from "~/components/dashboard-practice";
import { ErrorPage } from "~/components/error-page";
import { ArrowRightIcon, BookIcon, CheckIcon, LockIcon } from "~/components/icons";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { ProgressBar } from "~/components/progress-bar";
import { requireUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Dashboard"), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { name: user.name, ...(await getDashboard(context.services.db, user)) };
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export default function Dashboard() {
  const dashboard = useLoaderData<typeof loader>();
  const { continueAt, totals, enrollment, fullAccess, cohort } = dashboard;
  const firstName = dashboard.name.split(/\s+/)[0];

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">
        {dashboard.started ? `Welcome back, ${firstName}` : `Welcome, ${firstName}`}
      </h1>
      <p className="mt-2 text-muted">
        {cohort?.active
          ? `You study with ${cohort.name}: modules open on your cohort's schedule.`
          : enrollment?.status === "active"
            ? `Enrolled since ${dateFormat.format(new Date(enrollment.since))}: every lecture is open to you.`
            : fullAccess
              ? "As an admin you can open every lecture."
              : "You are not enrolled yet: the free preview lecture of every module is open to you."}
      </p>
      {!cohort?.active && enrollment?.status !== "active" && !fullAccess ? (
        <Link
          to="/join"
          className="mt-4 inline-flex rounded-lg bg-accent px-4 py-2 font-medium text-on-accent hover:bg-accent-strong"
        >
          Join a cohort or the monthly plan
        </Link>
      ) : null}

      {cohort ? (
        <CohortStatus cohort={cohort} nextRelease={cohort.nextRelease} now={dashboard.now} />
      ) : (
        <div className="mt-8">
          <CohortCountdown
            upcoming={dashboard.cohorts.upcoming}
            running={dashboard.cohorts.running}
            now={dashboard.now}
          />
        </div>
      )}

      {dashboard.started ? (
        <section aria-labelledby="continue-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
          <h2 id="continue-heading" className="text-lg font-semibold">
            {continueAt ? "Continue where you left off" : "You have finished every lecture open to you"}
          </h2>
          <div className="mt-4 max-w-xl">
            <ProgressBar
              label={`${totals.completed} of ${totals.lectures} lectures completed`}
              value={totals.completed}
              max={totals.lectures}
            />
          </div>
          {continueAt ? (
            <Link
              to={`/modules/${continueAt.moduleSlug}/${continueAt.lectureSlug}`}
              className="mt-5 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
            >
              {continueAt.lectureTitle} <ArrowRightIcon className="size-4" />
            </Link>
          ) : null}
          {continueAt ? <p className="mt-2 text-sm text-muted">{continueAt.moduleTitle}</p> : null}
        </section>
      ) : (
        <section
          aria-labelledby="start-heading"
          className="mt-8 rounded-2xl border border-dashed border-line bg-surface p-6"
        >
          <h2 id="start-heading" className="flex items-center gap-2 text-lg font-semibold">
            <BookIcon className="size-5 text-accent-strong" /> Start here
          </h2>
          <p className="mt-2 max-w-2xl text-muted">
            Open the first lecture, read it with a terminal beside you and run every command. When you've worked through
            it, press “Mark as complete” at the bottom: your progress shows up here.
          </p>
          {continueAt ? (
            <Link
              to={`/modules/${continueAt.moduleSlug}/${continueAt.lectureSlug}`}
              className="mt-5 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
            >
              Start “{continueAt.lectureTitle}” <ArrowRightIcon className="size-4" />
            </Link>
          ) : null}
        </section>
      )}

      {enrollment?.status === "active" || dashboard.certificate.certificateId ? (
        <DashboardCertificate standing={dashboard.certificate} />
      ) : null}

      {fullAccess ? <DashboardPractice practice={dashboard.practice} /> : null}

      <section aria-labelledby="modules-heading" className="mt-10">
        <h2 id="modules-heading" className="text-xl font-semibold">
          Your modules
        </h2>
        <ol className="mt-4 grid gap-4 sm:grid-cols-2">
          {dashboard.modules.map((module) => (
            <li key={module.slug} className="rounded-2xl border border-line bg-surface p-5">
              <h3 className="font-semibold">
                <Link to={`/modules/${module.slug}`} className="hover:text-accent-strong hover:underline">
                  {module.title}
                </Link>
              </h3>
              {module.opensAt && cohort ? (
                <p className="mt-2 flex items-center gap-1.5 text-sm text-muted">
                  <LockIcon className="size-3.5" />
                  Opens <time dateTime={module.opensAt}>{formatInZone(module.opensAt, cohort.timezone)}</time>
                </p>
              ) : null}
              <div className="mt-3">
                <ProgressBar
                  label={`${module.completedCount} of ${module.lectureCount} lectures`}
                  value={module.completedCount}
                  max={module.lectureCount}
                />
              </div>
              {module.quiz || module.project ? (
                <dl className="mt-4 space-y-2 text-sm">
                  {module.quiz ? (
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <dt className="text-muted">Quiz</dt>
                      <dd>
                        <Link to={`/modules/${module.slug}/quiz`} className="hover:underline">
                          {module.quiz.passed ? (
                            <span className="inline-flex items-center gap-1 font-medium text-emerald-800 dark:text-emerald-300">
                              <CheckIcon className="size-3.5" /> Passed, best {module.quiz.bestScore}%
                            </span>
                          ) : module.quiz.bestScore !== null ? (
                            `Best ${module.quiz.bestScore}%, pass mark ${module.quiz.passPercent}%`
                          ) : (
                            "Not taken yet"
                          )}
                        </Link>
                      </dd>
                    </div>
                  ) : null}
                  {module.project ? (
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <dt className="text-muted">{module.project.required ? "Project" : "Optional project"}</dt>
                      <dd>
                        <Link to={`/modules/${module.slug}/project`}>
                          <span className="sr-only">{module.project.title}: </span>
                          <ProjectStatusBadge status={module.project.status} />
                        </Link>
                      </dd>
                    </div>
                  ) : null}
                </dl>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
