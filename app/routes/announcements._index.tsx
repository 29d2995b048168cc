import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { listAnnouncements, markAnnouncementsRead } from "../../db/queries/announcements.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { requireUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Announcements"), { name: "robots", content: "noindex" }];

const pageQuery = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { before } = pageQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listAnnouncements(context.services.db, user, { before });
  // Seeing the newest announcements reads them (older pages never move the mark back).
  const newest = page.announcements[0];
  if (newest) await markAnnouncementsRead(context.services.db, user, newest.id);
  return { ...page, olderThan: page.hasMore ? page.announcements.at(-1)!.id : null, paged: Boolean(before) };
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function Announcements() {
  const { announcements, olderThan, paged } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Announcements</h1>
      <p className="mt-2 text-muted">News from the school and your cohort, newest first.</p>
      {announcements.length === 0 ? (
        <div className="mt-8">
          <EmptyState title={paged ? "No older announcements" : "No announcements yet"}>
            {paged ? (
              <Link to="/announcements" className="text-accent-strong underline">
                Back to the newest
              </Link>
            ) : (
              "When the school or your cohort's teachers post news, it appears here and pops up on any page you have open."
            )}
          </EmptyState>
        </div>
      ) : (
        <ol className="mt-8 space-y-4">
          {announcements.map((announcement) => (
            <li key={announcement.id}>
              <article
                aria-labelledby={`announcement-${announcement.id}`}
                className="rounded-2xl border border-line bg-surface p-5 sm:p-6"
              >
                <p className="text-xs font-medium tracking-wide text-muted uppercase">
                  {announcement.cohortName ?? "Everyone"}
                </p>
                <h2 id={`announcement-${announcement.id}`} className="mt-1 text-lg font-semibold text-balance">
                  {announcement.title}
                </h2>
                <p className="mt-1 text-sm text-muted">
                  <time dateTime={new Date(announcement.createdAt * 1000).toISOString()}>
                    {dateFormat.format(new Date(announcement.createdAt * 1000))} UTC
                  </time>
                  {announcement.authorName ? ` · ${announcement.authorName}` : null}
                </p>
                <div className="prose mt-4 max-w-none" dangerouslySetInnerHTML={{ __html: announcement.html }} />
              </article>
            </li>
          ))}
        </ol>
      )}
      {olderThan ? (
        <nav aria-label="Pagination" className="mt-8 flex justify-center">
          <Link
            to={`/announcements?before=${olderThan}`}
            className="rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
          >
            Older announcements
          </Link>
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
