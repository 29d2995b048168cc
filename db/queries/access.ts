import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { moduleReleaseAt } from "../cohorts/release.ts";
import { cohorts, enrollments, moduleReleaseOverrides, modules } from "../schema.ts";

/** Who is looking: a signed-in user, or nobody. */
export type Viewer = CurrentUser | null;

/**
 * SQL that is true when the viewer may read every lecture: admins, and students with an
 * active enrolment. Embedded in the queries that need it, so the decision costs no
 * extra round trip and is made where the data is read.
 */
export function fullAccessSql(viewer: Viewer): SQL<boolean> {
  if (!viewer) return sql<boolean>`0`;
  if (viewer.role === "admin") return sql<boolean>`1`;
  return sql<boolean>`exists (select 1 from enrollments where enrollments.user_id = ${viewer.id} and enrollments.status = 'active')`;
}

/** The viewer's id for joins on their own rows; matches nothing for visitors. */
export function viewerId(viewer: Viewer): string {
  return viewer?.id ?? "";
}

/** When a module that is still closed to the viewer opens, and the timezone to show it in. */
export type ModuleOpening = { opensAt: Date; timezone: string };

/**
 * Which modules the viewer's drip schedule has opened. `released: null` means every
 * module (visitors, whose access is decided by enrolment alone, admins, and students whose
 * active enrolment has no cohort); otherwise the ids of released modules, and for every
 * other module when it opens.
 */
export type ReleaseSchedule = { released: number[] | null; upcoming: Map<number, ModuleOpening> };

export const EVERYTHING_RELEASED: ReleaseSchedule = { released: null, upcoming: new Map() };

/**
 * The three small reads a drip schedule is computed from, as builders for db.batch: the
 * student's enrolments with their cohorts, the modules' release offsets, and the admin's
 * per-student overrides.
 */
export function releaseScheduleQueries(db: Database, actor: CurrentUser) {
  return [
    db
      .select({
        status: enrollments.status,
        cohortId: enrollments.cohortId,
        cohortSlug: sql<string | null>`${cohorts.slug}`.as("cohort_slug"),
        cohortName: sql<string | null>`${cohorts.name}`.as("cohort_name"),
        timezone: sql<string | null>`${cohorts.timezone}`.as("cohort_timezone"),
        startsAt: sql<number | null>`${cohorts.startsAt}`.as("cohort_starts_at"),
        endsAt: sql<number | null>`${cohorts.endsAt}`.as("cohort_ends_at"),
      })
      .from(enrollments)
      .leftJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
      .where(and(eq(enrollments.userId, actor.id), inArray(enrollments.status, ["active", "pending"])))
      .orderBy(desc(enrollments.createdAt)),
    db
      .select({
        id: modules.id,
        slug: modules.slug,
        title: modules.title,
        position: modules.position,
        releaseOffsetDays: modules.releaseOffsetDays,
        releaseTime: modules.releaseTime,
      })
      .from(modules)
      .where(eq(modules.published, true))
      .orderBy(asc(modules.position)),
    db
      .select({ moduleId: moduleReleaseOverrides.moduleId, releasedAt: moduleReleaseOverrides.releasedAt })
      .from(moduleReleaseOverrides)
      .where(eq(moduleReleaseOverrides.userId, actor.id)),
  ] as const;
}

type ScheduleQueries = ReturnType<typeof releaseScheduleQueries>;
/** What the schedule queries return, in their order. */
export type ScheduleRows = readonly [
  Awaited<ScheduleQueries[0]>,
  Awaited<ScheduleQueries[1]>,
  Awaited<ScheduleQueries[2]>,
];

/** A cohort the student belongs to, from the schedule's enrolment rows. */
export type StudentCohort = { slug: string; name: string; timezone: string; startsAt: Date; endsAt: Date };

/** The student's cohort (an active enrolment's first, else a pending one's), or null. */
export function cohortFromRows([enrollmentRows]: ScheduleRows): { cohort: StudentCohort; active: boolean } | null {
  const rows = enrollmentRows.filter((row) => row.cohortSlug !== null);
  const row = rows.find((candidate) => candidate.status === "active") ?? rows[0];
  if (!row) return null;
  return {
    active: row.status === "active",
    cohort: {
      slug: row.cohortSlug!,
      name: row.cohortName!,
      timezone: row.timezone!,
      startsAt: new Date(row.startsAt! * 1000),
      endsAt: new Date(row.endsAt! * 1000),
    },
  };
}

/** Turns the rows of `releaseScheduleQueries` into the schedule at `now`. */
export function scheduleFromRows([enrollmentRows, moduleRows, overrideRows]: ScheduleRows, now: Date): ReleaseSchedule {
  const active = enrollmentRows.filter((row) => row.status === "active");
  // No active enrolment: only free previews are open, whatever the schedule says.
  if (active.length === 0) return EVERYTHING_RELEASED;
  // Any access not tied to a cohort opens the whole course.
  if (active.some((row) => row.cohortId === null || row.timezone === null || row.startsAt === null)) {
    return EVERYTHING_RELEASED;
  }
  return scheduleFor(
    active.map((row) => ({ timezone: row.timezone!, startsAt: new Date(row.startsAt! * 1000) })),
    moduleRows,
    overrideRows,
    now,
  );
}

/**
 * The viewer's drip schedule, computed in TypeScript because SQL cannot do timezone
 * arithmetic: release instants depend on the cohort's IANA timezone and its daylight-saving
 * rules. One round trip for signed-in students (a batch of three small reads); none for
 * visitors and admins. Queries then take the released ids as a parameter (`releasedModuleSql`).
 */
export async function loadReleaseSchedule(db: Database, viewer: Viewer, now = new Date()): Promise<ReleaseSchedule> {
  if (!viewer || viewer.role === "admin") return EVERYTHING_RELEASED;
  const rows = await db.batch(releaseScheduleQueries(db, viewer));
  return scheduleFromRows(rows, now);
}

/** A module is open once any of the viewer's cohorts reaches its release, or an override does. */
export function scheduleFor(
  viewerCohorts: Array<{ timezone: string; startsAt: Date }>,
  moduleRows: Array<{ id: number; releaseOffsetDays: number; releaseTime: string | null }>,
  overrides: Array<{ moduleId: number; releasedAt: Date }>,
  now: Date,
): ReleaseSchedule {
  const released: number[] = [];
  const upcoming = new Map<number, ModuleOpening>();
  for (const module of moduleRows) {
    const openings: ModuleOpening[] = viewerCohorts.map((cohort) => ({
      opensAt: moduleReleaseAt(cohort, module),
      timezone: cohort.timezone,
    }));
    for (const override of overrides) {
      if (override.moduleId === module.id) {
        openings.push({ opensAt: override.releasedAt, timezone: viewerCohorts[0]!.timezone });
      }
    }
    const first = openings.reduce((a, b) => (b.opensAt < a.opensAt ? b : a));
    if (first.opensAt <= now) released.push(module.id);
    else upcoming.set(module.id, first);
  }
  return { released, upcoming };
}

/** SQL that is true when the schedule has opened the module whose id is `moduleId`. */
export function releasedModuleSql(schedule: ReleaseSchedule, moduleId: SQL): SQL<boolean> {
  if (schedule.released === null) return sql<boolean>`1`;
  return sql<boolean>`(${moduleId} in (select value from json_each(${JSON.stringify(schedule.released)})))`;
}

/**
 * SQL that is true when the viewer may read a lecture's body: a free preview, or full
 * access to a module that is released for them. Expects `lectures` and `modules` in scope.
 */
export function lectureOpenSql(viewer: Viewer, schedule: ReleaseSchedule): SQL<boolean> {
  return sql<boolean>`(lectures.free_preview = 1 or (${fullAccessSql(viewer)} and ${releasedModuleSql(schedule, sql`modules.id`)}))`;
}

/**
 * `from … where …` that yields the lecture only if it is published and the actor may read
 * it. Writes select from this, so a student can only ever record work on lectures they can
 * open. Pass the actor's schedule to hold back unreleased modules as well.
 */
export function readableLectureSql(
  actor: Viewer,
  lectureId: number,
  schedule: ReleaseSchedule = EVERYTHING_RELEASED,
): SQL {
  return sql`from lectures join modules on modules.id = lectures.module_id
    where lectures.id = ${lectureId} and lectures.published = 1 and modules.published = 1
      and ${lectureOpenSql(actor, schedule)}`;
}

/** A closed module's opening as it travels to pages and clients: an ISO instant and the zone to show it in. */
export type OpeningData = { opensAt: string; timezone: string };

/**
 * When a module the viewer has full access to opens on their schedule, or null when it
 * is open to them already. Only full access makes "not yet" the reason for a closed module.
 */
export function moduleOpening(schedule: ReleaseSchedule, moduleId: number): OpeningData | null {
  const opening = schedule.upcoming.get(moduleId);
  return opening ? { opensAt: opening.opensAt.toISOString(), timezone: opening.timezone } : null;
}

/** "opens on 12 March 2026, 09:00 (Asia/Bishkek)": for refusal messages, in the cohort's own zone. */
export function opensOnText(opening: OpeningData): string {
  const when = new Intl.DateTimeFormat("en-GB", {
    timeZone: opening.timezone,
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(opening.opensAt));
  return `opens on ${when} (${opening.timezone})`;
}

/**
 * Why a lecture write was refused for a student: the opening of its module when the drip
 * schedule still holds it back, null otherwise (no access, or no such lecture).
 */
export async function lectureOpening(
  db: Database,
  schedule: ReleaseSchedule,
  lectureId: number,
): Promise<OpeningData | null> {
  if (schedule.released === null) return null;
  const [row] = await db.all<{ moduleId: number }>(
    sql`select module_id as moduleId from lectures where id = ${lectureId} and published = 1`,
  );
  return row ? moduleOpening(schedule, row.moduleId) : null;
}
