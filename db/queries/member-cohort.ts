import { sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";

// Which cohort a member studies with, for the live connection and announcements.

/**
 * The cohort of the user's newest active enrolment, or null (no cohort, or an admin:
 * admins listen on the clock for everyone).
 */
export async function liveCohortId(db: Database, user: CurrentUser): Promise<number | null> {
  if (user.role === "admin") return null;
  const row = await db.get<{ cohort_id: number } | undefined>(sql`
    select cohort_id from enrollments
    where user_id = ${user.id} and status = 'active' and cohort_id is not null
    order by created_at desc, id desc limit 1`);
  return row?.cohort_id ?? null;
}

/** Every cohort, newest start first: the audiences an admin can post to. Admins only. */
export async function listCohortAudiences(db: Database, actor: CurrentUser) {
  if (actor.role !== "admin") return [];
  return db.all<{ id: number; name: string }>(sql`select id, name from cohorts order by starts_at desc, id desc`);
}

/** Ids of every cohort, for announcements to everyone (each cohort's clock gets a copy). */
export async function allCohortIds(db: Database): Promise<number[]> {
  const rows = await db.all<{ id: number }>(sql`select id from cohorts`);
  return rows.map((row) => row.id);
}
