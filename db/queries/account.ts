import { and, desc, eq, ne } from "drizzle-orm";
import type { CurrentSession, CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { accounts, sessions, users } from "../schema.ts";

// Everything here acts on the acting user's own rows and nobody else's: every query is
// scoped by `actor.id`, so a forged id in a form can only ever miss.

export async function listOwnSessions(db: Database, actor: CurrentUser) {
  return db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.updatedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(eq(sessions.userId, actor.id))
    .orderBy(desc(sessions.updatedAt));
}

/** Ends one of the actor's sessions; returns false when it is not theirs (or already gone). */
export async function revokeOwnSession(db: Database, actor: CurrentUser, sessionId: string) {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.id)))
    .returning({ id: sessions.id });
  return deleted.length > 0;
}

/** Ends every session of the actor except the one making the request. */
export async function revokeOtherOwnSessions(db: Database, actor: CurrentUser, current: CurrentSession) {
  await db.delete(sessions).where(and(eq(sessions.userId, actor.id), ne(sessions.id, current.id)));
}

export async function ownPasswordHash(db: Database, actor: CurrentUser): Promise<string | null> {
  const [row] = await db
    .select({ password: accounts.password })
    .from(accounts)
    .where(and(eq(accounts.userId, actor.id), eq(accounts.providerId, "credential")))
    .limit(1);
  return row?.password ?? null;
}

export async function renameSelf(db: Database, actor: CurrentUser, name: string) {
  await db.update(users).set({ name, updatedAt: new Date() }).where(eq(users.id, actor.id));
}
