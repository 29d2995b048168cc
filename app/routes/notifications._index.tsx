import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listOwnNotifications, markOwnNotificationsRead } from "../../db/queries/discussions.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { requireUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Notifications"), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { notifications: await listOwnNotifications(context.services.db, user) };
}

/** "Mark all as read": the only change this page makes. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await markOwnNotificationsRead(context.services.db, user);
  return redirect("/notifications");
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const unread = notifications.filter((notification) => notification.unread).length;
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Notifications</h1>
          <p className="mt-2 text-muted">
            {unread > 0 ? `${unread} unread. ` : null}Replies to your posts in lecture discussions.
          </p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <button
              type="submit"
              className="rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
            >
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <div className="mt-8">
          <EmptyState title="Nothing new">
            When someone replies to or quotes your post in a lecture discussion, you will find it here.{" "}
            <Link to="/dashboard" className="text-accent-strong underline">
              Back to your dashboard
            </Link>
          </EmptyState>
        </div>
      ) : (
        <ol className="mt-8 space-y-3">
          {notifications.map((notification) => (
            <li
              key={notification.id}
              className={`rounded-2xl border p-4 sm:p-5 ${
                notification.unread ? "border-accent bg-accent-soft" : "border-line bg-surface"
              }`}
            >
              <p className="text-sm">
                {notification.unread ? (
                  <span className="mr-2 rounded-full bg-accent px-2 py-0.5 text-xs font-semibold text-on-accent">
                    New
                  </span>
                ) : null}
                <span className="font-semibold">{notification.actorName ?? "Someone"}</span> replied in{" "}
                <Link to={notification.url} className="font-medium text-accent-strong underline">
                  {notification.lectureTitle}
                </Link>
              </p>
              <p className="mt-2 line-clamp-2 text-sm whitespace-pre-line text-muted">{notification.excerpt}</p>
              <p className="mt-2 text-xs text-muted">
                <time dateTime={new Date(notification.createdAt * 1000).toISOString()}>
                  {dateTime.format(new Date(notification.createdAt * 1000))} UTC
                </time>
              </p>
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
