import { Link } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { cohortDay } from "../../db/cohorts/release.ts";
import { ClockIcon } from "~/components/icons";
import { formatCountdown, formatInZone, formatRelative, formatShort } from "~/lib/cohort-format";
import { useHydrated } from "~/lib/use-hydrated";

/** A cohort as loaders hand it to the page: instants as ISO strings. */
export type CountdownCohort = { slug: string; name: string; timezone: string; startsAt: string; endsAt: string };

/** Plain data for the countdown from a cohort row. */
export function countdownCohort(cohort: {
  slug: string;
  name: string;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
}): CountdownCohort {
  return {
    slug: cohort.slug,
    name: cohort.name,
    timezone: cohort.timezone,
    startsAt: cohort.startsAt.toISOString(),
    endsAt: cohort.endsAt.toISOString(),
  };
}

// One clock for every countdown on the page: it ticks once a second while any is shown.
let clock = Date.now();
const listeners = new Set<() => void>();
let timer: number | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === undefined) {
    clock = Date.now();
    timer = window.setInterval(() => {
      clock = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * The current time: the server's render instant while rendering on the server and
 * hydrating (so both render the same text), then the browser's clock.
 */
function useNow(serverNow: string): number {
  return useSyncExternalStore(
    subscribe,
    () => clock,
    () => Date.parse(serverNow),
  );
}

const at = (iso: string) => Date.parse(iso);

function dayOf(cohort: CountdownCohort, now: number) {
  return cohortDay({ timezone: cohort.timezone, startsAt: new Date(cohort.startsAt) }, new Date(now));
}

/**
 * The start in the cohort's timezone, and in the reader's own once the browser has said
 * which that is (the server cannot know it, so it shows UTC until then).
 */
function StartTime({ cohort }: { cohort: CountdownCohort }) {
  const hydrated = useHydrated();
  return (
    <p className="mt-2 text-sm text-muted">
      Starts <time dateTime={cohort.startsAt}>{formatInZone(cohort.startsAt, cohort.timezone)}</time>
      {hydrated ? ` · ${formatShort(cohort.startsAt)} your time` : ` · ${formatShort(cohort.startsAt, "UTC")} UTC`}
    </p>
  );
}

/**
 * "Batch 4 starts in 3 days 04:12:09": the ticking part is hidden from screen readers
 * (it would be read out every second); a static sentence says the same once.
 */
function Countdown({ cohort, now }: { cohort: CountdownCohort; now: number }) {
  const left = formatCountdown(at(cohort.startsAt) - now);
  return (
    <div>
      <p className="text-2xl font-bold tracking-tight sm:text-3xl">
        <span aria-hidden="true">
          {`${cohort.name} starts in `}
          <span aria-live="off" className="font-mono tabular-nums">
            {left}
          </span>
        </span>
        <span className="sr-only">{`${cohort.name} starts on ${formatInZone(cohort.startsAt, cohort.timezone)}.`}</span>
      </p>
      <StartTime cohort={cohort} />
    </div>
  );
}

function Running({ cohort, now }: { cohort: CountdownCohort; now: number }) {
  return (
    <p className="text-lg font-semibold">
      <span className="mr-2 inline-block size-2.5 rounded-full bg-emerald-500 align-middle" aria-hidden="true" />
      {`${cohort.name} is running: day ${dayOf(cohort, now)}`}
    </p>
  );
}

/**
 * The next cohort's countdown and the cohorts running now. It never says "expired": the
 * moment a cohort starts it shows as running and the next one takes over the countdown.
 */
export function CohortCountdown({
  upcoming,
  running,
  now: serverNow,
}: {
  upcoming: CountdownCohort[];
  running: CountdownCohort[];
  now: string;
}) {
  const now = useNow(serverNow);
  const all = [...running, ...upcoming];
  const runningNow = all.filter((cohort) => at(cohort.startsAt) <= now && now < at(cohort.endsAt));
  const next = upcoming.find((cohort) => at(cohort.startsAt) > now) ?? null;

  return (
    <section
      aria-labelledby="cohort-countdown-heading"
      className="rounded-2xl border border-line bg-canvas p-6 shadow-sm"
    >
      <h2
        id="cohort-countdown-heading"
        className="flex items-center gap-2 text-sm font-semibold tracking-wide text-accent-strong uppercase"
      >
        <ClockIcon className="size-4" /> Cohorts
      </h2>
      <div className="mt-3 space-y-4">
        {next ? <Countdown cohort={next} now={now} /> : null}
        {runningNow.map((cohort) => (
          <Running key={cohort.slug} cohort={cohort} now={now} />
        ))}
        {!next && runningNow.length === 0 ? (
          <p className="text-muted">
            No cohort is scheduled right now. The next start date is announced here;{" "}
            <Link to="/modules" className="font-medium text-accent-strong hover:underline">
              meanwhile, browse the curriculum
            </Link>
            .
          </p>
        ) : null}
        {!next && runningNow.length > 0 ? (
          <p className="text-sm text-muted">The next batch's start date is announced here as soon as it is set.</p>
        ) : null}
      </div>
    </section>
  );
}

/** For a student in a cohort: where their cohort stands and which module opens next. */
export function CohortStatus({
  cohort,
  nextRelease,
  now: serverNow,
}: {
  cohort: CountdownCohort;
  nextRelease: { title: string; slug: string; opensAt: string } | null;
  now: string;
}) {
  const now = useNow(serverNow);
  const started = at(cohort.startsAt) <= now;
  const finished = at(cohort.endsAt) <= now;
  const release = nextRelease && at(nextRelease.opensAt) > now ? nextRelease : null;

  return (
    <section aria-labelledby="cohort-status-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      <h2 id="cohort-status-heading" className="flex items-center gap-2 text-lg font-semibold">
        <ClockIcon className="size-5 text-accent-strong" /> Your cohort: {cohort.name}
      </h2>
      <div className="mt-3 space-y-3">
        {finished ? (
          <p>{`${cohort.name} has finished. Every module stays open to you.`}</p>
        ) : started ? (
          <Running cohort={cohort} now={now} />
        ) : (
          <Countdown cohort={cohort} now={now} />
        )}
        {release ? (
          <p className="text-muted">
            <Link to={`/modules/${release.slug}`} className="font-medium text-ink hover:underline">
              {release.title}
            </Link>
            {` opens ${formatRelative(at(release.opensAt) - now)}, on `}
            <time dateTime={release.opensAt}>{formatInZone(release.opensAt, cohort.timezone)}</time>.
          </p>
        ) : started && !finished ? (
          <p className="text-muted">Every module of the course is open to your cohort.</p>
        ) : null}
      </div>
    </section>
  );
}
