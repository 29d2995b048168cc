import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { runningCohortsQuery, upcomingCohortsQuery } from "../../db/queries/cohorts.ts";
import { curriculumTotals, listPublishedModules } from "../../db/queries/curriculum.ts";
import { CohortCountdown, countdownCohort } from "~/components/cohort-countdown";
import { ErrorPage } from "~/components/error-page";
import { ArrowRightIcon, BookIcon, TargetIcon, TerminalIcon, UsersIcon } from "~/components/icons";
import { formatDuration, plural } from "~/lib/format";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => pageMeta(null);

export async function loader({ context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const now = new Date();
  const [modules, upcoming, running] = await db.batch([
    listPublishedModules(db),
    upcomingCohortsQuery(db, now),
    runningCohortsQuery(db, now),
  ]);
  return {
    now: now.toISOString(),
    cohorts: { upcoming: upcoming.map(countdownCohort), running: running.map(countdownCohort) },
    modules,
    totals: curriculumTotals(modules),
    firstModule: modules.find((module) => module.lectureCount > 0)?.slug ?? null,
  };
}

const APPROACH: Array<{ title: string; body: string; icon: ReactNode }> = [
  {
    title: "Learn from working engineers",
    body: "Every lecture is written for the terminal: real commands, real output, and why each step matters in production.",
    icon: <BookIcon className="size-5" />,
  },
  {
    title: "Practise on real systems",
    body: "Each lecture ends with exercises you run yourself, on your own Linux box, cloud account and cluster.",
    icon: <TerminalIcon className="size-5" />,
  },
  {
    title: "Build a portfolio",
    body: "Hands-on projects in every module: a hardened server, a Terraformed VPC, a CI pipeline, a monitored Kubernetes app.",
    icon: <TargetIcon className="size-5" />,
  },
  {
    title: "Move as a cohort",
    body: "Start with your batch on a fixed date, follow the same schedule, and prepare for DevOps interviews together.",
    icon: <UsersIcon className="size-5" />,
  },
];

export default function Landing() {
  const { modules, totals, firstModule, cohorts, now } = useLoaderData<typeof loader>();

  return (
    <>
      <section className="border-b border-line bg-surface">
        <div className="mx-auto grid max-w-7xl gap-12 px-4 py-16 sm:px-6 lg:grid-cols-[1.2fr_1fr] lg:py-24">
          <div>
            <p className="font-mono text-sm font-semibold text-accent-strong">Cohort-based DevOps training</p>
            <h1 className="mt-4 text-4xl font-bold tracking-tight text-balance sm:text-5xl">
              Become the engineer who ships software and keeps it running
            </h1>
            <p className="mt-6 max-w-xl text-lg text-muted">
              Linux, networking, AWS, Terraform, Docker, Kubernetes, CI/CD and monitoring, taught hands-on in the order
              you use them at work. Read the lectures, run every command, and build the projects hiring managers ask
              about.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link
                to="/modules"
                className="inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-3 font-semibold text-on-accent shadow-sm hover:bg-accent-strong"
              >
                Explore the curriculum <ArrowRightIcon className="size-4" />
              </Link>
              {firstModule ? (
                <Link
                  to={`/modules/${firstModule}`}
                  className="inline-flex items-center gap-2 rounded-lg border border-line px-5 py-3 font-semibold hover:bg-surface-2"
                >
                  Start with module 1
                </Link>
              ) : null}
              <Link
                to="/join"
                className="inline-flex items-center gap-2 rounded-lg border border-line px-5 py-3 font-semibold hover:bg-surface-2"
              >
                {cohorts.upcoming[0] ? `Join ${cohorts.upcoming[0].name}` : "Join a cohort"}
              </Link>
            </div>
          </div>
          <div className="space-y-6 self-center">
            <CohortCountdown upcoming={cohorts.upcoming} running={cohorts.running} now={now} />
            <dl className="grid grid-cols-2 gap-4">
              <Stat label="Modules" value={String(totals.modules)} />
              <Stat label="Lectures" value={String(totals.lectures)} />
              <Stat label="Hours of material" value={String(Math.round(totals.minutes / 60))} />
              <Stat label="Free preview lectures" value={String(totals.previews)} />
            </dl>
          </div>
        </div>
      </section>

      <section aria-labelledby="curriculum-heading" className="mx-auto max-w-7xl px-4 py-16 sm:px-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h2 id="curriculum-heading" className="text-2xl font-bold tracking-tight sm:text-3xl">
              The curriculum at a glance
            </h2>
            <p className="mt-2 text-muted">From your first shell session to running production on Kubernetes.</p>
          </div>
          <Link to="/modules" className="font-medium text-accent-strong hover:underline">
            All modules
          </Link>
        </div>
        <ol className="mt-8 grid gap-x-10 gap-y-2 md:grid-cols-2">
          {modules.map((module, index) => (
            <li key={module.slug}>
              <Link
                to={`/modules/${module.slug}`}
                className="flex items-baseline gap-4 rounded-xl px-3 py-3 hover:bg-surface"
              >
                <span className="font-mono text-sm font-semibold text-accent-strong">
                  {String(index + 1).padStart(2, "0")}
                </span>
                <span className="flex-1">
                  <span className="block font-semibold">{module.title}</span>
                  <span className="mt-0.5 block text-sm text-muted">
                    {plural(module.lectureCount, "lecture")} · {formatDuration(module.totalMinutes)}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="approach-heading" className="border-y border-line bg-surface">
        <div className="mx-auto max-w-7xl px-4 py-16 sm:px-6">
          <h2 id="approach-heading" className="text-2xl font-bold tracking-tight sm:text-3xl">
            How the course works
          </h2>
          <ul className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
            {APPROACH.map((item) => (
              <li key={item.title} className="rounded-2xl border border-line bg-canvas p-6">
                <span className="grid size-10 place-items-center rounded-lg bg-accent-soft text-accent-strong">
                  {item.icon}
                </span>
                <h3 className="mt-4 font-semibold">{item.title}</h3>
                <p className="mt-2 text-sm text-muted">{item.body}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>

      <section className="mx-auto max-w-7xl px-4 py-16 text-center sm:px-6">
        <h2 className="text-2xl font-bold tracking-tight sm:text-3xl">Read a lecture before you decide</h2>
        <p className="mx-auto mt-3 max-w-xl text-muted">
          The first lecture of every module is open to everyone. Pick the topic you are most curious about and see how
          we teach.
        </p>
        <Link
          to="/modules"
          className="mt-6 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-3 font-semibold text-on-accent hover:bg-accent-strong"
        >
          Choose a free lecture <ArrowRightIcon className="size-4" />
        </Link>
      </section>
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-2xl border border-line bg-canvas p-5">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-1 text-3xl font-bold tracking-tight">{value}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
