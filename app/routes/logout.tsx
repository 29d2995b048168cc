import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { CLEAR_SESSION_COOKIE } from "../../worker/auth/context.ts";
import { cookiesFrom } from "~/lib/account.server";
import { notFound } from "~/lib/params";

/** Ends the session on the server and in the browser. POST only (a link must not sign you out). */
export async function action({ request, context }: ActionFunctionArgs) {
  const headers = new Headers();
  if (await context.services.auth.getSession()) {
    const result = await context.services.auth.auth.api.signOut({ headers: request.headers, returnHeaders: true });
    for (const [name, value] of cookiesFrom(result.headers)) headers.append(name, value);
  }
  headers.append("set-cookie", CLEAR_SESSION_COOKIE);
  return redirect("/", { headers });
}

export function loader() {
  notFound();
}
