// Dates and durations for cohort schedules. Instants travel from loaders as ISO strings;
// they are shown in the cohort's timezone (what the school announces) and, in the
// browser, in the reader's own.

/** "Thursday 12 March 2026, 10:00 (Asia/Bishkek)" */
export function formatInZone(iso: string, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
  return `${text} (${timeZone})`;
}

/** "12 March, 10:00" in the given timezone, or in the runtime's own when none is given. */
export function formatShort(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

/** "3 days 04:12:09", "1 day 00:00:05", "04:12:09": time left, never negative. */
export function formatCountdown(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const days = Math.floor(total / 86_400);
  const clock = [Math.floor((total % 86_400) / 3600), Math.floor((total % 3600) / 60), total % 60]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
  return days > 0 ? `${days} ${days === 1 ? "day" : "days"} ${clock}` : clock;
}

/** "in 2 days", "in 5 hours", "in 12 minutes", "in under a minute": for release notices. */
export function formatRelative(milliseconds: number): string {
  const minutes = Math.floor(milliseconds / 60_000);
  const unit = (count: number, one: string) => `in ${count} ${count === 1 ? one : `${one}s`}`;
  if (minutes >= 1440) return unit(Math.floor(minutes / 1440), "day");
  if (minutes >= 60) return unit(Math.floor(minutes / 60), "hour");
  if (minutes >= 1) return unit(minutes, "minute");
  return "in under a minute";
}
