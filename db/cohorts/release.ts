// Cohort calendar maths: release instants, phases and "day N". Pure functions on Dates and
// IANA timezones, using only Intl.DateTimeFormat, so the Worker, the seed and the browser
// agree on every instant, including across daylight-saving changes.

/** A wall-clock date and time in some timezone (month 1-12). */
export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number };

/** The cohort fields the calendar needs. */
export type CohortCalendar = {
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  enrollmentOpensAt: Date;
  enrollmentClosesAt: Date;
};

/** A module's place in the drip schedule. */
export type ModuleSchedule = { releaseOffsetDays: number; releaseTime: string | null };

export type CohortPhase = "upcoming" | "enrolling" | "running" | "finished";

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a timezone name Intl knows ("Asia/Bishkek"), false otherwise. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant`. */
export function toLocal(instant: Date, timeZone: string): LocalDateTime & { second: number } {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return {
    year: values.year!,
    month: values.month!,
    day: values.day!,
    hour: values.hour! % 24,
    minute: values.minute!,
    second: values.second!,
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const local = toLocal(new Date(instant), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant when the wall clock in `timeZone` shows `local`. The offset is looked up
 * twice because the first guess can sit on the other side of a daylight-saving change.
 * A clock reading that happens twice (autumn) resolves to the first; one skipped by a
 * spring-forward gap resolves to the instant an hour earlier than it would have been.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  // Date.UTC normalises overflowing days, so callers can add days to `day` freely.
  const wallClock = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const firstGuess = wallClock - offsetAt(wallClock, timeZone);
  const offset = offsetAt(firstGuess, timeZone);
  return new Date(wallClock - offset);
}

const RELEASE_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "HH:MM" (24-hour); null for anything else. */
export function parseReleaseTime(value: string): { hour: number; minute: number } | null {
  const match = RELEASE_TIME.exec(value);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

/**
 * When a module opens for a cohort: the cohort's start date (a calendar date in its
 * timezone) plus the module's offset in days, at the module's release time in that
 * timezone, or at the cohort's own start time of day when the module names none.
 */
export function moduleReleaseAt(cohort: Pick<CohortCalendar, "timezone" | "startsAt">, module: ModuleSchedule): Date {
  const start = toLocal(cohort.startsAt, cohort.timezone);
  const time = (module.releaseTime ? parseReleaseTime(module.releaseTime) : null) ?? start;
  return fromLocal(
    {
      year: start.year,
      month: start.month,
      day: start.day + module.releaseOffsetDays,
      hour: time.hour,
      minute: time.minute,
    },
    cohort.timezone,
  );
}

/**
 * Where a cohort stands at `now`: upcoming before enrolment opens, enrolling while it is
 * open before the start, running from start to end (even if enrolment is still open),
 * finished after the end. A cohort whose enrolment closed before its start is upcoming.
 */
export function cohortPhase(cohort: CohortCalendar, now: Date): CohortPhase {
  const at = now.getTime();
  if (at >= cohort.endsAt.getTime()) return "finished";
  if (at >= cohort.startsAt.getTime()) return "running";
  if (at >= cohort.enrollmentOpensAt.getTime() && at < cohort.enrollmentClosesAt.getTime()) return "enrolling";
  return "upcoming";
}

/** Whole calendar days from the date of `from` to the date of `to`, both read in `timeZone`. */
export function calendarDaysBetween(from: Date, to: Date, timeZone: string): number {
  const a = toLocal(from, timeZone);
  const b = toLocal(to, timeZone);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/** "Day N" of a running cohort: its start date is day 1, counted in the cohort's timezone. */
export function cohortDay(cohort: Pick<CohortCalendar, "timezone" | "startsAt">, now: Date): number {
  return Math.max(1, calendarDaysBetween(cohort.startsAt, now, cohort.timezone) + 1);
}
