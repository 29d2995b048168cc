import { data, redirect, type AppLoadContext } from "@remix-run/cloudflare";
import type { CurrentSession, CurrentUser } from "../../worker/auth/context.ts";

// The guards every loader and action uses. Routes call them themselves: Remix runs
// nested loaders in parallel, so a parent's check does not protect its children.

export async function getOptionalUser(context: AppLoadContext): Promise<CurrentUser | null> {
  return context.services.auth.getUser();
}

/** The signed-in session, or a redirect to /login that comes back here afterwards. */
export async function requireSession(request: Request, context: AppLoadContext): Promise<CurrentSession> {
  const session = await context.services.auth.getSession();
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return session;
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  return (await requireSession(request, context)).user;
}

/** Admin pages do not exist for anyone else: a 404, never a hint that they are there. */
export async function requireAdmin(context: AppLoadContext): Promise<CurrentUser> {
  const user = await getOptionalUser(context);
  if (user?.role !== "admin") throw data(null, { status: 404 });
  return user;
}

/** Pages for signed-out visitors only (login, register): signed-in users go to their dashboard. */
export async function requireAnonymous(context: AppLoadContext): Promise<void> {
  if (await getOptionalUser(context)) throw redirect("/dashboard");
}
