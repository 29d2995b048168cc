import type { AppLoadContext } from "@remix-run/cloudflare";
import { APIError } from "better-auth/api";
import { checkRateLimits, rateLimitedError, type RateLimitName } from "../../worker/services/rate-limit.ts";
import { formError } from "./forms";

/** better-auth's error code (INVALID_EMAIL_OR_PASSWORD, INVALID_TOKEN, …), or null for other failures. */
export function authErrorCode(error: unknown): string | null {
  if (error instanceof APIError) return typeof error.body?.code === "string" ? error.body.code : "UNKNOWN";
  return null;
}

/** A 429 form response when any of the limits is used up, otherwise null. */
export async function rateLimited(
  context: AppLoadContext,
  formData: FormData,
  limits: Array<[RateLimitName, string]>,
  echo: string[],
) {
  const wait = await checkRateLimits(context.cloudflare.env, limits);
  if (wait === null) return null;
  const error = rateLimitedError(wait);
  return formError(formData, error.message, echo, { status: 429, headers: error.headers });
}

/** Copies the Set-Cookie headers better-auth produced onto our response. */
export function cookiesFrom(headers: Headers): Headers {
  const out = new Headers();
  for (const cookie of headers.getSetCookie()) out.append("set-cookie", cookie);
  return out;
}
