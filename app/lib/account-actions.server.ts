import { redirect, type AppLoadContext } from "@remix-run/cloudflare";
import * as z from "zod";
import { ownPasswordHash, renameSelf, revokeOtherOwnSessions, revokeOwnSession } from "../../db/queries/account.ts";
import { CLEAR_SESSION_COOKIE, type CurrentSession } from "../../worker/auth/context.ts";
import { verifyPassword } from "../../worker/auth/password.ts";
import { currentPasswordSchema, emailSchema, nameSchema, passwordSchema } from "../../worker/auth/policy.ts";
import { authErrorCode, cookiesFrom } from "./account.server";
import { formError, invalid, parseForm } from "./forms";

// The /account page's forms, one handler per `intent`. Each re-checks what it needs:
// changing email, password or deleting the account asks for the current password.

export const profileForm = z.object({ name: nameSchema });
export const emailForm = z.object({ email: emailSchema, password: currentPasswordSchema });
export const passwordForm = z
  .object({
    currentPassword: currentPasswordSchema,
    password: passwordSchema,
    confirm: z.string({ error: "Type the new password again." }),
  })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The two passwords don't match." });
export const revokeForm = z.object({ sessionId: z.string().min(1).max(100) });
export const deleteForm = z.object({
  password: currentPasswordSchema,
  confirmation: z.literal("DELETE", { error: "Type DELETE to confirm." }),
});

export type AccountIntent = "profile" | "email" | "password" | "revoke" | "revoke-others" | "delete";

const done = (intent: AccountIntent, message: string) => ({ intent, message });

async function passwordMatches(context: AppLoadContext, session: CurrentSession, password: string) {
  const hash = await ownPasswordHash(context.services.db, session.user);
  return hash !== null && (await verifyPassword({ hash, password }));
}

export async function handleAccountAction(
  request: Request,
  context: AppLoadContext,
  session: CurrentSession,
  formData: FormData,
) {
  const { db, auth } = context.services;
  const intent = formData.get("intent") as AccountIntent;

  switch (intent) {
    case "profile": {
      const parsed = parseForm(formData, profileForm, ["name"]);
      if (!parsed.ok) return invalid(parsed.state, { intent });
      await renameSelf(db, session.user, parsed.data.name);
      return done(intent, "Your name was updated.");
    }
    case "email": {
      const parsed = parseForm(formData, emailForm, ["email"]);
      if (!parsed.ok) return invalid(parsed.state, { intent });
      if (!(await passwordMatches(context, session, parsed.data.password))) {
        return invalid(
          { fields: { email: parsed.data.email }, errors: { password: "That password is not right." } },
          { intent },
        );
      }
      if (parsed.data.email === session.user.email) {
        return invalid(
          { fields: { email: parsed.data.email }, errors: { email: "That is already your email." } },
          { intent },
        );
      }
      try {
        await auth.auth.api.changeEmail({ body: { newEmail: parsed.data.email }, headers: request.headers });
      } catch (error) {
        if (authErrorCode(error) === null) throw error;
        // Same outcome shown whether or not the address belongs to someone else.
      }
      return done(intent, `We sent a confirmation link to ${parsed.data.email}. Your email changes when you open it.`);
    }
    case "password": {
      const parsed = parseForm(formData, passwordForm);
      if (!parsed.ok) return invalid(parsed.state, { intent });
      try {
        const { headers } = await auth.auth.api.changePassword({
          body: {
            currentPassword: parsed.data.currentPassword,
            newPassword: parsed.data.password,
            revokeOtherSessions: true,
          },
          headers: request.headers,
          returnHeaders: true,
        });
        // Every other session is ended; this browser continues on a fresh session.
        return redirect("/account?changed=password", { headers: cookiesFrom(headers) });
      } catch (error) {
        if (authErrorCode(error) === null) throw error;
        return invalid({ fields: {}, errors: { currentPassword: "That password is not right." } }, { intent });
      }
    }
    case "revoke": {
      const parsed = parseForm(formData, revokeForm);
      if (!parsed.ok || parsed.data.sessionId === session.id) {
        return formError(formData, "Use “Log out” to end this session.", [], { intent });
      }
      await revokeOwnSession(db, session.user, parsed.data.sessionId);
      return done(intent, "That session was signed out.");
    }
    case "revoke-others": {
      await revokeOtherOwnSessions(db, session.user, session);
      return done(intent, "All your other sessions were signed out.");
    }
    case "delete": {
      const parsed = parseForm(formData, deleteForm);
      if (!parsed.ok) return invalid(parsed.state, { intent });
      try {
        await auth.auth.api.deleteUser({ body: { password: parsed.data.password }, headers: request.headers });
      } catch (error) {
        if (authErrorCode(error) === null) throw error;
        return invalid({ fields: {}, errors: { password: "That password is not right." } }, { intent });
      }
      return redirect("/?account=deleted", { headers: { "set-cookie": CLEAR_SESSION_COOKIE } });
    }
    default:
      return formError(formData, "Unknown action.", []);
  }
}
