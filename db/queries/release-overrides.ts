import { sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// Admin exceptions to the drip schedule: one student gets one module before their cohort.

export type EarlyReleaseRefusal = "not_admin" | "no_such_user" | "not_in_cohort" | "no_such_module";
export type EarlyReleaseResult = { ok: true } | { ok: false; reason: EarlyReleaseRefusal };

/** A student's active or pending seat in the cohort: an override only matters to its members. */
export const memberOfCohort = (cohortSlug: string) => sql`exists (select 1 from enrollments
  join cohorts on cohorts.id = enrollments.cohort_id
  where enrollments.user_id = users.id and cohorts.slug = ${cohortSlug}
    and enrollments.status in ('active', 'pending'))`;

/**
 * Opens a published module now for one member of a cohort, whatever the cohort's schedule
 * says. The audit entry goes first and names the student only when the student, their seat
 * and the module all exist; otherwise the batch is rolled back and the refusal explained.
 * A repeat moves the override to now.
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
  try {
    await db.batch([
      auditStatement(db, admin, {
        action: "cohort.release_early",
        targetType: "user",
        targetId: auditTarget(sql`select users.id from users
          where users.email = ${email} and ${memberOfCohort(input.cohortSlug)}
            and exists (select 1 from modules where modules.slug = ${input.moduleSlug} and modules.published = 1)`),
        summary: `Released module ${input.moduleSlug} early for ${email} (cohort ${input.cohortSlug})`,
      }),
      batchable(
        db,
        db.run(sql`
        insert into module_release_overrides (user_id, module_id, released_at, created_by)
        select users.id, modules.id, ${releasedAt}, ${admin.id}
        from users join modules on modules.slug = ${input.moduleSlug} and modules.published = 1
        where users.email = ${email} and ${memberOfCohort(input.cohortSlug)}
        on conflict (user_id, module_id) do update set
          released_at = excluded.released_at, created_by = excluded.created_by, updated_at = unixepoch()`),
      ),
    ]);
    return { ok: true };
  } catch (error) {
    if (!isAbortedByAuditTarget(error)) throw error;
  }

  const [row] = await db.all<{ user: number; member: number; module: number }>(sql`
    select
      exists (select 1 from users where email = ${email}) as user,
      exists (select 1 from users where email = ${email} and ${memberOfCohort(input.cohortSlug)}) as member,
      exists (select 1 from modules where slug = ${input.moduleSlug} and published = 1) as module`);
  if (!row?.user) return { ok: false, reason: "no_such_user" };
  if (!row.member) return { ok: false, reason: "not_in_cohort" };
  return { ok: false, reason: "no_such_module" };
}
