import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { dismissDiscussionReports, getModerationQueues } from "../../db/queries/admin-moderation.ts";
import { moderateDiscussionPost, setDiscussionLocked } from "../../db/queries/discussions.ts";
import { HiddenPostCard, LockedThreadsTable, ReportedPostCard, ShownOf } from "~/components/admin-moderation";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireAdmin } from "~/lib/auth.server";
import { formError, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Moderation · Admin"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  return getModerationQueues(context.services.db, admin);
}

const id = z.coerce.number().int().positive();

const moderationForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["hide", "dismiss", "restore"]), postId: id, lectureId: id }),
  z.object({ intent: z.enum(["lock", "unlock"]), lectureId: id }),
]);

type Intent = z.infer<typeof moderationForm>["intent"];

/** What the page says after each action (the redirect names it). */
const DONE: Record<Intent, string> = {
  hide: "Post hidden and its reports closed. Students no longer see it; restore it under Hidden posts.",
  dismiss: "Reports dismissed. The post stays in the discussion.",
  restore: "Post restored. Students see it in the discussion again.",
  lock: "Thread locked. Students can read it but no longer post in it.",
  unlock: "Thread unlocked. Students can post in it again.",
};

/** Why an action changed nothing: someone else got there first, or the record is gone. */
const GONE: Record<Intent, string> = {
  hide: "That post is no longer in its discussion.",
  dismiss: "Those reports were already dealt with.",
  restore: "That post is no longer in its discussion.",
  lock: "That lecture no longer exists.",
  unlock: "That lecture no longer exists.",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db } = context.services;
  const formData = await request.formData();
  const parsed = parseForm(formData, moderationForm);
  if (!parsed.ok) return formError(formData, "That action was not understood. Reload the page and try again.", []);
  const form = parsed.data;

  let done: boolean;
  switch (form.intent) {
    case "hide":
    case "restore":
      done = await moderateDiscussionPost(db, admin, {
        lectureId: form.lectureId,
        postId: form.postId,
        action: form.intent === "hide" ? "hide" : "unhide",
      });
      break;
    case "dismiss":
      done = await dismissDiscussionReports(db, admin, { lectureId: form.lectureId, postId: form.postId });
      break;
    case "lock":
    case "unlock":
      done = await setDiscussionLocked(db, admin, { lectureId: form.lectureId, locked: form.intent === "lock" });
      break;
  }
  if (!done) return formError(formData, GONE[form.intent], [], { status: 409 });
  return redirect(`/admin/moderation?${new URLSearchParams({ done: form.intent })}`);
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export default function Moderation() {
  const { counts, reported, hidden, locked } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const [search] = useSearchParams();
  const done = DONE[search.get("done") as Intent] as string | undefined;
  const failed = result?.state?.formError;

  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Moderation" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Moderation</h1>
      <p className="mt-2 text-muted">
        Posts students reported, posts hidden from the discussions, and locked threads. Hiding keeps a post: restore it
        here at any time. Nobody is notified.
      </p>
      <p className="mt-4 rounded-2xl border border-line bg-surface px-5 py-4 text-sm">
        <strong>{plural(counts.awaitingReview, "project submission awaits", "project submissions await")}</strong>{" "}
        review.{" "}
        <Link to="/admin/projects" className="font-medium text-accent-strong underline">
          Open the review queue
        </Link>
      </p>

      <div aria-live="polite" className="mt-6 empty:hidden">
        {failed ? <Alert tone="error">{failed}</Alert> : done ? <Alert tone="success">{done}</Alert> : null}
      </div>

      <section aria-labelledby="reported-heading" className="mt-10">
        <h2 id="reported-heading" className="text-xl font-semibold">
          {`Reported posts (${counts.reportedPosts})`}
        </h2>
        {reported.length > 0 ? (
          <>
            <p className="mt-1 text-sm text-muted">Oldest report first.</p>
            <ol className="mt-4 space-y-4">
              {reported.map((post) => (
                <li key={post.postId}>
                  <ReportedPostCard post={post} />
                </li>
              ))}
            </ol>
            <ShownOf shown={reported.length} total={counts.reportedPosts} />
          </>
        ) : (
          <div className="mt-4">
            <EmptyState title="No open reports">Reports from students appear here.</EmptyState>
          </div>
        )}
      </section>

      <section aria-labelledby="hidden-heading" className="mt-12">
        <h2 id="hidden-heading" className="text-xl font-semibold">
          {`Hidden posts (${counts.hiddenPosts})`}
        </h2>
        {hidden.length > 0 ? (
          <>
            <p className="mt-1 text-sm text-muted">Most recently hidden first.</p>
            <ol className="mt-4 space-y-4">
              {hidden.map((post) => (
                <li key={post.postId}>
                  <HiddenPostCard post={post} />
                </li>
              ))}
            </ol>
            <ShownOf shown={hidden.length} total={counts.hiddenPosts} />
          </>
        ) : (
          <div className="mt-4">
            <EmptyState title="No hidden posts">
              Posts hidden here or in a discussion appear here, and can be restored.
            </EmptyState>
          </div>
        )}
      </section>

      <section aria-labelledby="locked-heading" className="mt-12">
        <h2 id="locked-heading" className="text-xl font-semibold">
          {`Locked threads (${counts.lockedThreads})`}
        </h2>
        <div className="mt-4">
          {locked.length > 0 ? (
            <>
              <LockedThreadsTable threads={locked} />
              <ShownOf shown={locked.length} total={counts.lockedThreads} />
            </>
          ) : (
            <EmptyState title="No locked threads">
              Every lecture's discussion is open. Lock one from a reported post or from the discussion itself.
            </EmptyState>
          )}
        </div>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
