import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getSubmissionFile } from "../../db/queries/projects.ts";
import { attachmentDisposition } from "../../worker/uploads/file-kinds.ts";
import { getOptionalUser } from "~/lib/auth.server";
import { notFound } from "~/lib/params";

const SUBMISSION_ID = /^[0-9a-f-]{36}$/;

/**
 * A submission's attached file, streamed from R2 to its author or an admin. Everyone
 * else, visitors included, gets the same 404 as for a file that does not exist. Always
 * a download with the type detected at upload, never rendered inline.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(context);
  const id = params.submission ?? "";
  if (!viewer || !SUBMISSION_ID.test(id)) notFound();
  const file = await getSubmissionFile(context.services.db, viewer, id);
  if (!file) notFound();
  const object = await context.services.env.LECTURE_ASSETS.get(file.key);
  if (!object) notFound();
  return new Response(object.body, {
    headers: {
      "content-type": file.type,
      "content-length": String(object.size),
      "content-disposition": attachmentDisposition(file.name),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}
