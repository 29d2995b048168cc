import { drizzleAdapter } from "@better-auth/drizzle-adapter";
import { APIError } from "better-auth/api";
import { betterAuth } from "better-auth/minimal";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import * as schema from "../../db/schema.ts";
import type { EmailSender } from "../email/sender.ts";
import { changeEmailMessage, resetPasswordMessage, verifyEmailMessage } from "../email/templates.ts";
import type { Logger } from "../services/logger.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { PASSWORD_MAX, PASSWORD_MIN, SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from "./policy.ts";

/** What a deactivated account is told when it signs in with the right password. */
export const ACCOUNT_DEACTIVATED = "This account has been deactivated. Contact the school.";

/** The session cookie: `__Host-` pins it to this host, Secure, path / and no Domain. */
export const SESSION_COOKIE = "__Host-school.session";

type AuthDependencies = { env: Env; db: Database; email: EmailSender; log: Logger; origin: string };

function authSecret(env: Env): string {
  if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32) {
    throw new Error("AUTH_SECRET must be set (32+ characters): `wrangler secret put AUTH_SECRET`.");
  }
  return env.AUTH_SECRET;
}

/**
 * better-auth, configured for this platform. The UI calls it server-side from Remix
 * actions (so every form works without JavaScript); its own HTTP handler is not mounted.
 * Links in emails point at our pages, which hand the token back to better-auth.
 */
export function createAuth({ env, db, email, log, origin }: AuthDependencies) {
  return betterAuth({
    appName: "DevOps School",
    baseURL: origin,
    basePath: "/api/auth",
    secret: authSecret(env),
    trustedOrigins: [origin],
    telemetry: { enabled: false },
    // Our RateLimiter Durable Object limits logins and resets per account and per IP.
    rateLimit: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "sqlite",
      usePlural: true,
      schema,
      // D1 has no BEGIN/COMMIT.
      transaction: false,
    }),
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "student", input: false },
        // Read with every session lookup (the user row is joined anyway): see context.ts.
        deactivatedAt: { type: "date", required: false, input: false },
      },
      changeEmail: { enabled: true },
      deleteUser: { enabled: true },
    },
    session: {
      expiresIn: SESSION_IDLE_SECONDS,
      updateAge: SESSION_REFRESH_SECONDS,
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      autoSignIn: false,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      password: { hash: hashPassword, verify: verifyPassword },
      async sendResetPassword({ user, token }) {
        const url = `${origin}/reset-password?token=${encodeURIComponent(token)}`;
        await email.send(resetPasswordMessage(user.email, user.name, url));
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: 24 * 60 * 60,
      async sendVerificationEmail({ user, token }) {
        const url = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
        // better-auth reuses this for an email change, addressed to the new address.
        const message =
          user.emailVerified === true
            ? changeEmailMessage(user.email, user.name, url)
            : verifyEmailMessage(user.email, user.name, url);
        await email.send(message);
      },
    },
    databaseHooks: {
      session: {
        create: {
          // Every way in creates a session, and better-auth creates it only after the
          // password (or token) checked out: a deactivated account is refused here, so the
          // message reveals nothing to someone who does not know the password.
          async before(session) {
            const [user] = await db
              .select({ deactivatedAt: schema.users.deactivatedAt })
              .from(schema.users)
              .where(eq(schema.users.id, session.userId));
            if (user?.deactivatedAt) {
              throw new APIError("FORBIDDEN", { message: ACCOUNT_DEACTIVATED, code: "ACCOUNT_DEACTIVATED" });
            }
          },
        },
      },
    },
    advanced: {
      // One query for session and user on every page view.
      database: { joins: true },
      useSecureCookies: false,
      cookies: {
        session_token: {
          name: SESSION_COOKIE,
          attributes: { secure: true, sameSite: "lax", httpOnly: true, path: "/" },
        },
      },
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
    },
    logger: {
      log(level, message, ...args) {
        const fields = { source: "better-auth", details: args };
        if (level === "error") log.error(message, fields);
        else if (level === "warn") log.warn(message, fields);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
