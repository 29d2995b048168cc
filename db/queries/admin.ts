import { count, desc, eq } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { certificates, lectures, modules, projectSubmissions, users } from "../schema.ts";
import { analyticsQueries, shapeAnalytics } from "./admin-analytics.ts";
import { assertAdmin } from "./admin-guard.ts";

/**
 * Everything the admin overview shows, in one round trip: headline counts, the review
 * queue's length, the latest certificates and accounts, and the analytics
 * (db/queries/admin-analytics.ts). `now` fixes the analytics windows.
 */
export async function getAdminOverview(db: Database, actor: CurrentUser, now = new Date()) {
  assertAdmin(actor);
  const [roleCounts, moduleCount, lectureCount, recent, awaiting, issued, ...analytics] = await db.batch([
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
    ...analyticsQueries(db, now),
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
    ...shapeAnalytics(analytics, now),
  };
}

export type AdminOverview = Awaited<ReturnType<typeof getAdminOverview>>;
