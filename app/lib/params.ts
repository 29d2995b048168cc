import { data } from "@remix-run/cloudflare";
import { slugSchema } from "../../db/content/slug.ts";

/** A route param that must be a slug; anything else cannot exist, so it is a 404. */
export function slugParam(value: string | undefined): string {
  const parsed = slugSchema.safeParse(value);
  if (!parsed.success) throw data(null, { status: 404 });
  return parsed.data;
}

export function notFound(): never {
  throw data(null, { status: 404 });
}
