import { data, redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import * as z from "zod";
import { safeRedirect } from "~/lib/safe-redirect";
import { THEMES, themeCookie } from "~/lib/theme";

const themeForm = z.object({ theme: z.enum(THEMES), redirectTo: z.string().optional() });

/** Stores the chosen theme in a cookie; without JavaScript, sends the reader back. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = themeForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    throw data({ message: "Choose light, dark or system." }, { status: 400 });
  }
  const headers = { "set-cookie": themeCookie(parsed.data.theme, new URL(request.url).protocol === "https:") };
  if (parsed.data.redirectTo !== undefined) {
    return redirect(safeRedirect(parsed.data.redirectTo), { headers });
  }
  return data({ theme: parsed.data.theme }, { headers });
}
