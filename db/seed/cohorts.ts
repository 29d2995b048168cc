import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { cohortPhase, fromLocal, toLocal } from "../cohorts/release.ts";
import { cohorts } from "../schema.ts";

const DAY_MS = 86_400_000;
const TIMEZONE = "Asia/Bishkek";

/** 10:00 in Bishkek on the local date `days` days from `now` (negative: in the past). */
function tenAmBishkek(now: Date, days: number): Date {
  const date = toLocal(new Date(now.getTime() + days * DAY_MS), TIMEZONE);
  return fromLocal({ year: date.year, month: date.month, day: date.day, hour: 10, minute: 0 }, TIMEZONE);
}

/**
 * The demo cohorts, dated relative to `now` so the demo never goes stale: Batch 3 started
 * 20 days ago and is running, Batch 4 starts in 12 days and is taking enrolments.
 */
export function demoCohorts(now: Date) {
  const batch3Start = tenAmBishkek(now, -20);
  const batch4Start = tenAmBishkek(now, 12);
  const rows = [
    {
      slug: "batch-3",
      name: "Batch 3",
      startsAt: batch3Start,
      endsAt: new Date(batch3Start.getTime() + 84 * DAY_MS),
      enrollmentOpensAt: new Date(batch3Start.getTime() - 30 * DAY_MS),
      enrollmentClosesAt: batch3Start,
      capacity: 25,
    },
    {
      slug: "batch-4",
      name: "Batch 4",
      startsAt: batch4Start,
      endsAt: new Date(batch4Start.getTime() + 84 * DAY_MS),
      enrollmentOpensAt: new Date(now.getTime() - 18 * DAY_MS),
      enrollmentClosesAt: batch4Start,
      capacity: 30,
    },
  ];
  return rows.map((row) => ({
    ...row,
    courseTitle: "DevOps Engineering",
    timezone: TIMEZONE,
    priceCents: 49_000,
    currency: "usd",
    status: cohortPhase({ ...row, timezone: TIMEZONE }, now),
  }));
}

const fromExcluded = (column: string) => sql.raw(`excluded.${column}`);

/** Creates the demo cohorts or moves existing ones to dates relative to `now`. */
export function upsertDemoCohorts(db: Database, now = new Date()) {
  return db
    .insert(cohorts)
    .values(demoCohorts(now))
    .onConflictDoUpdate({
      target: cohorts.slug,
      set: {
        name: fromExcluded("name"),
        courseTitle: fromExcluded("course_title"),
        timezone: fromExcluded("timezone"),
        startsAt: fromExcluded("starts_at"),
        endsAt: fromExcluded("ends_at"),
        enrollmentOpensAt: fromExcluded("enrollment_opens_at"),
        enrollmentClosesAt: fromExcluded("enrollment_closes_at"),
        capacity: fromExcluded("capacity"),
        priceCents: fromExcluded("price_cents"),
        currency: fromExcluded("currency"),
        status: fromExcluded("status"),
        updatedAt: sql`(unixepoch())`,
      },
    });
}
