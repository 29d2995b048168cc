import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listOwnNotes } from "../../db/queries/notes.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { requireUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("My notes"), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { notes: await listOwnNotes(context.services.db, user) };
}

export default function Notes() {
  const { notes } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">My notes</h1>
          <p className="mt-2 text-muted">Only you can see these.</p>
        </div>
        {notes.length > 0 ? (
          <a
            href="/notes/export"
            download
            className="rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
          >
            Export as markdown
          </a>
        ) : null}
      </div>
      {notes.length === 0 ? (
        <div className="mt-8">
          <EmptyState title="No notes yet">
            Open a lecture and write in “My notes” below it: notes save as you type and collect here.{" "}
            <Link to="/dashboard" className="text-accent-strong underline">
              Back to your dashboard
            </Link>
          </EmptyState>
        </div>
      ) : (
        <ol className="mt-8 space-y-4">
          {notes.map((note) => (
            <li
              key={`${note.moduleSlug}/${note.lectureSlug}`}
              className="rounded-2xl border border-line bg-surface p-5"
            >
              <p className="text-xs font-medium tracking-wide text-muted uppercase">{note.moduleTitle}</p>
              <h2 className="mt-1 font-semibold">
                <Link
                  to={`/modules/${note.moduleSlug}/${note.lectureSlug}`}
                  className="hover:text-accent-strong hover:underline"
                >
                  {note.lectureTitle}
                </Link>
              </h2>
              <pre className="mt-3 font-mono text-sm whitespace-pre-wrap">{note.body}</pre>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
