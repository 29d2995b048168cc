import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { listOwnNotes, notesAsMarkdown } from "../../db/queries/notes.ts";
import { requireUser } from "~/lib/auth.server";

/** Every note of the signed-in student as one markdown file. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const notes = await listOwnNotes(context.services.db, user);
  return new Response(notesAsMarkdown(user.name, notes, new Date()), {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": 'attachment; filename="devops-school-notes.md"',
      "cache-control": "private, no-store",
    },
  });
}
