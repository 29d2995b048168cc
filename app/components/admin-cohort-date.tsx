import type { CohortPhase } from "../../db/cohorts/release.ts";

// Cohort dates on the admin pages: always in the cohort's own timezone, the one the school
// announces, so every admin reads the same wall-clock time whatever their browser's zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "12 Mar 2026, 09:00" in `timeZone`. */
export function formatCohortDate(iso: string, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

export function CohortDate({ iso, timeZone }: { iso: string; timeZone: string }) {
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      {formatCohortDate(iso, timeZone)}
    </time>
  );
}

const PHASE_STYLES: Record<CohortPhase, string> = {
  upcoming: "bg-surface-2 text-muted",
  enrolling: "bg-accent-soft text-accent-strong",
  running: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  finished: "bg-surface-2 text-muted",
};

export function CohortPhaseBadge({ phase }: { phase: CohortPhase }) {
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium capitalize ${PHASE_STYLES[phase]}`}>{phase}</span>
  );
}
