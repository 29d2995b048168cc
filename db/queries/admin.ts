import { count, desc, eq } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { certificates, lectures, modules, projectSubmissions, users } from "../schema.ts";

/** Refuses to run for anyone but an admin, whatever route called it. */
function assertAdmin(actor: CurrentUser) {
  if (actor.role !== "admin") throw new Error(`User ${actor.id} is not an admin`);
}

/** Headline numbers and the newest accounts for the admin overview, in one round trip. */
export async function getAdminOverview(db: Database, actor: CurrentUser) {
  assertAdmin(actor);
  const [roleCounts, moduleCount, lectureCount, recent, awaiting, issued] = await db.batch([
    db.select({ role: users.role, total: count() }).from(users).groupBy(users.role),
    db.select({ total: count() }).from(modules).where(eq(modules.published, true)),
    db.select({ total: count() }).from(lectures).where(eq(lectures.published, true)),
    db
      .select({
        name: users.name,
        email: users.email,
        role: users.role,
        emailVerified: users.emailVerified,
        createdAt: users.createdAt,
      })
      .from(users)
      .orderBy(desc(users.createdAt))
      .limit(10),
    db.select({ total: count() }).from(projectSubmissions).where(eq(projectSubmissions.status, "submitted")),
    db
      .select({
        id: certificates.id,
        recipientName: certificates.recipientName,
        issuedAt: certificates.issuedAt,
        revokedAt: certificates.revokedAt,
      })
      .from(certificates)
      .orderBy(desc(certificates.issuedAt))
      .limit(10),
  ]);
  const byRole = Object.fromEntries(roleCounts.map((row) => [row.role, row.total]));
  return {
    students: byRole.student ?? 0,
    admins: byRole.admin ?? 0,
    modules: moduleCount[0]?.total ?? 0,
    lectures: lectureCount[0]?.total ?? 0,
    recent,
    awaitingReview: awaiting[0]?.total ?? 0,
    certificates: issued,
  };
}
