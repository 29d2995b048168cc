import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { sessions, type Role } from "../../db/schema.ts";
import { createEmailSender } from "../email/sender.ts";
import type { Logger } from "../services/logger.ts";
import { createAuth, SESSION_COOKIE, type Auth } from "./auth.ts";
import { SESSION_ABSOLUTE_SECONDS } from "./policy.ts";

export type CurrentUser = { id: string; name: string; email: string; role: Role; emailVerified: boolean };
export type CurrentSession = { id: string; createdAt: Date; expiresAt: Date; user: CurrentUser };

/** Expires the session cookie in the browser. */
export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax`;

/**
 * Authentication for one request: better-auth is built only when a request needs it,
 * the session is looked up at most once (loaders running in parallel share it), and
 * cookies that better-auth wants to refresh are carried onto the final response.
 */
export function createAuthContext(deps: { env: Env; database: () => Database; log: Logger; request: Request }) {
  const { env, database, log, request } = deps;
  const responseCookies: string[] = [];
  let auth: Auth | undefined;
  let session: Promise<CurrentSession | null> | undefined;

  const getAuth = () =>
    (auth ??= createAuth({
      env,
      db: database(),
      log,
      email: createEmailSender(env, database(), log),
      origin: new URL(request.url).origin,
    }));

  async function lookUpSession(): Promise<CurrentSession | null> {
    if (!request.headers.get("cookie")?.includes(SESSION_COOKIE)) return null;
    const { headers, response } = await getAuth().api.getSession({ headers: request.headers, returnHeaders: true });
    for (const cookie of headers.getSetCookie()) responseCookies.push(cookie);
    if (!response) return null;

    const { session: row, user } = response;
    const ageSeconds = (Date.now() - new Date(row.createdAt).getTime()) / 1000;
    // Deactivating deletes the account's sessions; this also ends one that a sign-in racing
    // the deactivation managed to create.
    if (ageSeconds > SESSION_ABSOLUTE_SECONDS || user.deactivatedAt) {
      // Past the absolute lifetime (however active) or deactivated: sign in again.
      await database().delete(sessions).where(eq(sessions.id, row.id));
      responseCookies.push(CLEAR_SESSION_COOKIE);
      return null;
    }
    return {
      id: row.id,
      createdAt: new Date(row.createdAt),
      expiresAt: new Date(row.expiresAt),
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role === "admin" ? "admin" : "student",
        emailVerified: user.emailVerified,
      },
    };
  }

  return {
    get auth() {
      return getAuth();
    },
    /** The signed-in session, or null. */
    getSession(): Promise<CurrentSession | null> {
      return (session ??= lookUpSession());
    },
    /** The signed-in user, or null for visitors. */
    async getUser(): Promise<CurrentUser | null> {
      return (await this.getSession())?.user ?? null;
    },
    /** Set-Cookie headers to add to the response (refreshed or cleared sessions). */
    responseCookies,
  };
}

export type AuthContext = ReturnType<typeof createAuthContext>;
