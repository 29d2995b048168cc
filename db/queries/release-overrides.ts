import { sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";

// Admin exceptions to the drip schedule: one student gets one module before their cohort.

export type EarlyReleaseRefusal = "not_admin" | "no_such_user" | "not_in_cohort" | "no_such_module";
export type EarlyReleaseResult = { ok: true } | { ok: false; reason: EarlyReleaseRefusal };

/** A student's active or pending seat in the cohort: an override only matters to its members. */
const memberOfCohort = (cohortSlug: string) => sql`exists (select 1 from enrollments
  join cohorts on cohorts.id = enrollments.cohort_id
  where enrollments.user_id = users.id and cohorts.slug = ${cohortSlug}
    and enrollments.status in ('active', 'pending'))`;

/**
 * Opens a published module now for one member of a cohort, whatever the cohort's schedule
 * says. One statement: it writes only when the student, their seat and the module all
 * exist, and a repeat moves the override to now. Refusals are explained afterwards.
 */
export async function releaseModuleEarly(
  db: Database,
  admin: CurrentUser,
  input: { cohortSlug: string; studentEmail: string; moduleSlug: string },
  now = new Date(),
): Promise<EarlyReleaseResult> {
  if (admin.role !== "admin") return { ok: false, reason: "not_admin" };
  const email = input.studentEmail.trim().toLowerCase();
  const releasedAt = Math.floor(now.getTime() / 1000);
  const result = await db.run(sql`
    insert into module_release_overrides (user_id, module_id, released_at, created_by)
    select users.id, modules.id, ${releasedAt}, ${admin.id}
    from users join modules on modules.slug = ${input.moduleSlug} and modules.published = 1
    where users.email = ${email} and ${memberOfCohort(input.cohortSlug)}
    on conflict (user_id, module_id) do update set
      released_at = excluded.released_at, created_by = excluded.created_by, updated_at = unixepoch()`);
  if (result.meta.changes > 0) return { ok: true };

  const [row] = await db.all<{ user: number; member: number; module: number }>(sql`
    select
      exists (select 1 from users where email = ${email}) as user,
      exists (select 1 from users where email = ${email} and ${memberOfCohort(input.cohortSlug)}) as member,
      exists (select 1 from modules where slug = ${input.moduleSlug} and published = 1) as module`);
  if (!row?.user) return { ok: false, reason: "no_such_user" };
  if (!row.member) return { ok: false, reason: "not_in_cohort" };
  return { ok: false, reason: "no_such_module" };
}

/** The cohort's members' early releases, newest first, for its admin page. Admins only. */
export async function listCohortOverrides(db: Database, admin: CurrentUser, cohortSlug: string) {
  if (admin.role !== "admin") return [];
  return db.all<{ email: string; name: string; moduleTitle: string; releasedAt: number }>(sql`
    select users.email as email, users.name as name, modules.title as moduleTitle,
      module_release_overrides.released_at as releasedAt
    from module_release_overrides
    join users on users.id = module_release_overrides.user_id
    join modules on modules.id = module_release_overrides.module_id
    where ${memberOfCohort(cohortSlug)}
    order by module_release_overrides.released_at desc, users.email`);
}
