import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import * as z from "zod";
import { loadReleaseSchedule } from "../../db/queries/access.ts";
import { DISCUSSION_BODY_MAX, DISCUSSION_REASON_MAX, DISCUSSION_SORTS } from "../../db/queries/discussion-limits.ts";
import {
  createDiscussionPost,
  deleteDiscussionPost,
  editOwnDiscussionPost,
  getDiscussionAccess,
  getDiscussionThread,
  moderateDiscussionPost,
  reportDiscussionPost,
  setDiscussionLocked,
  setDiscussionVote,
} from "../../db/queries/discussions.ts";
import { broadcastDiscussionPost } from "../../worker/live/broadcast.ts";
import { checkRateLimits, rateLimitedError } from "../../worker/services/rate-limit.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { DiscussionComposer, quoteMarkdown } from "~/components/discussion-composer";
import { DiscussionPost, type DiscussionViewer, type OpenReply } from "~/components/discussion-post";
import { DiscussionPagination, DiscussionSortTabs, threadSearch } from "~/components/discussion-thread-nav";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { LockIcon } from "~/components/icons";
import { useLiveDiscussion } from "~/components/live-updates";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export { forwardRetryAfter as headers } from "~/lib/forms";

const threadQuery = z.object({
  sort: z.enum(DISCUSSION_SORTS).catch("newest"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  quote: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const moduleSlug = slugParam(params.module);
  const lectureSlug = slugParam(params.lecture);
  const viewer = await getOptionalUser(context);
  const query = threadQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { db } = context.services;
  const schedule = await loadReleaseSchedule(db, viewer);
  const thread = await getDiscussionThread(db, viewer, schedule, { moduleSlug, lectureSlug, ...query });
  if (!thread) notFound();
  const opening = schedule.upcoming.get(thread.lecture.moduleId);
  return {
    ...thread,
    sort: query.sort,
    page: query.page,
    signedIn: viewer !== null,
    admin: viewer?.role === "admin",
    opening: opening ? { opensAt: opening.opensAt.toISOString(), timezone: opening.timezone } : null,
  };
}

const id = z.coerce.number().int().positive();
/** Hidden id fields arrive as "" when unused. */
const optionalId = z.preprocess((value) => (value === "" ? undefined : value), id.optional());
const body = z
  .string()
  .trim()
  .min(1, "Write something first: the post is empty.")
  .max(
    DISCUSSION_BODY_MAX,
    `Posts can be up to ${DISCUSSION_BODY_MAX.toLocaleString("en")} characters; this one is longer.`,
  );

const discussionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("post"), body, quotedPostId: optionalId }),
  z.object({ intent: z.literal("reply"), parentId: id, body, quotedPostId: optionalId }),
  z.object({ intent: z.literal("edit"), postId: id, body }),
  z.object({
    intent: z.literal("report"),
    postId: id,
    reason: z
      .string()
      .trim()
      .min(1, "Say what is wrong with this post.")
      .max(DISCUSSION_REASON_MAX, `Keep the reason under ${DISCUSSION_REASON_MAX} characters.`),
  }),
  z.object({ intent: z.enum(["delete", "upvote", "unvote", "pin", "unpin", "hide", "unhide"]), postId: id }),
  z.object({ intent: z.enum(["lock", "unlock"]) }),
]);
const ADMIN_INTENTS = new Set(["pin", "unpin", "hide", "unhide", "lock", "unlock"]);
const ECHO = ["body", "reason", "quotedPostId"];

/** Which form on the page a submission came from, so its error and text show in that form. */
function formKey(formData: FormData): string {
  const intent = String(formData.get("intent") ?? "");
  if (intent === "post") return "post";
  if (intent === "reply") return `reply-${String(formData.get("parentId"))}`;
  if (intent === "edit" || intent === "report") return `${intent}-${String(formData.get("postId"))}`;
  if (formData.get("postId")) return `post-${String(formData.get("postId"))}`;
  return "thread";
}

/** Every change to the thread: plain POSTs with an `intent`, so they work without JavaScript. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const moduleSlug = slugParam(params.module);
  const lectureSlug = slugParam(params.lecture);
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const key = formKey(formData);
  const parsed = parseForm(formData, discussionForm, ECHO);
  if (!parsed.ok) {
    const { errors } = parsed.state;
    const understood = !errors.intent && !errors.postId && !errors.parentId;
    if (understood) return invalid(parsed.state, { intent: key });
    return formError(formData, "That change was not understood. Reload the page and try again.", ECHO, {
      intent: key,
    });
  }
  const form = parsed.data;
  // Moderation does not exist for students: the same 404 as any admin page.
  if (ADMIN_INTENTS.has(form.intent) && user.role !== "admin") throw data(null, { status: 404 });

  const { db } = context.services;
  const schedule = await loadReleaseSchedule(db, user);
  const access = await getDiscussionAccess(db, user, schedule, moduleSlug, lectureSlug);
  if (!access) notFound();
  const refuse = (message: string, status: number) => formError(formData, message, ECHO, { status, intent: key });
  if (!access.open) return refuse("This discussion is open to students who can read the lecture.", 403);
  const { lectureId } = access;
  const back = (postId?: number) => {
    const url = new URL(request.url);
    return redirect(`${url.pathname}${url.search}${postId ? `#post-${postId}` : ""}`);
  };

  switch (form.intent) {
    case "post":
    case "reply": {
      if (access.locked && user.role !== "admin") {
        return refuse("This discussion is locked: you can read it, but new posts and replies are closed.", 403);
      }
      const wait = await checkRateLimits(context.cloudflare.env, [["discussion-post", user.id]]);
      if (wait !== null) {
        const { headers } = rateLimitedError(wait);
        const when = wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
        return formError(
          formData,
          `You are posting faster than the discussion allows. Try again in ${when}; your text is kept below.`,
          ECHO,
          { status: 429, headers, intent: key },
        );
      }
      const postId = await createDiscussionPost(db, user, schedule, {
        lectureId,
        body: form.body,
        parentId: form.intent === "reply" ? form.parentId : undefined,
        quotedPostId: form.quotedPostId,
      });
      if (postId === null) return refuse("The post you answered is no longer in this discussion.", 404);
      // Readers of this lecture reload the thread live; after the response, and never failing the post.
      context.cloudflare.ctx.waitUntil(
        broadcastDiscussionPost(context.cloudflare.env, db, context.services.log, { lectureId, postId }),
      );
      return back(postId);
    }
    case "edit": {
      const saved = await editOwnDiscussionPost(db, user, schedule, {
        lectureId,
        postId: form.postId,
        body: form.body,
      });
      if (!saved) return refuse("This post can no longer be edited: posts can be edited for 15 minutes.", 404);
      return back(form.postId);
    }
    case "delete": {
      const deleted = await deleteDiscussionPost(db, user, schedule, { lectureId, postId: form.postId });
      if (!deleted) return refuse("This post can no longer be deleted: posts can be deleted for 15 minutes.", 404);
      return back();
    }
    case "upvote":
    case "unvote": {
      const upvoted = form.intent === "upvote";
      const done = await setDiscussionVote(db, user, schedule, { lectureId, postId: form.postId, upvoted });
      if (!done) return refuse("You can upvote other people's posts in this discussion.", 404);
      return back(form.postId);
    }
    case "report": {
      const reported = await reportDiscussionPost(db, user, schedule, {
        lectureId,
        postId: form.postId,
        reason: form.reason,
      });
      if (!reported) return refuse("You can report other people's posts in this discussion.", 404);
      return data({ reported: form.postId });
    }
    case "pin":
    case "unpin":
    case "hide":
    case "unhide": {
      const changed = await moderateDiscussionPost(db, user, { lectureId, postId: form.postId, action: form.intent });
      if (!changed) return refuse("That post is not in this discussion.", 404);
      return back(form.postId);
    }
    case "lock":
    case "unlock":
      await setDiscussionLocked(db, user, { lectureId, locked: form.intent === "lock" });
      return back();
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta(`Discussion: ${data.lecture.title}`, `Questions and answers about “${data.lecture.title}”.`)
    : pageMeta("Discussion not found");

type ActionResult = { state?: FormState; intent?: string; reported?: number } | undefined;

export default function LectureDiscussion() {
  const { lecture, posts, total, pageCount, quote, sort, page, signedIn, admin, opening } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult;
  const location = useLocation();
  const lectureUrl = `/modules/${lecture.moduleSlug}/${lecture.slug}`;
  const viewer: DiscussionViewer = {
    signedIn,
    admin,
    canPost: lecture.open && signedIn && (!lecture.locked || admin),
  };
  const failed = (key: string) => (result?.intent === key ? result.state : undefined);
  const openReply: OpenReply | null =
    quote && viewer.canPost
      ? { parentId: quote.replyTo, quotedPostId: quote.id, body: quoteMarkdown(quote.markdown) }
      : null;
  const quoteUrl = (postId: number, replyTo: number) =>
    `${threadSearch(sort, page, { quote: String(postId) })}#reply-${replyTo}`;
  const newPost = failed("post");
  const threadError = failed("thread")?.formError;
  const loginUrl = `/login?${new URLSearchParams({ redirectTo: location.pathname + location.search })}`;
  useLiveDiscussion(lecture.id);

  return (
    <div className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Curriculum", to: "/modules" },
          { label: lecture.moduleTitle, to: `/modules/${lecture.moduleSlug}` },
          { label: lecture.title, to: lectureUrl },
          { label: "Discussion" },
        ]}
      />
      <header className="mt-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight text-balance">Discussion</h1>
          <p className="mt-2 text-muted">
            Questions and answers about{" "}
            <Link to={lectureUrl} className="text-accent-strong underline">
              {lecture.title}
            </Link>
            .
          </p>
        </div>
        {lecture.open && total > 0 ? <DiscussionSortTabs sort={sort} /> : null}
      </header>

      <div aria-live="polite" className="mt-6 space-y-3 empty:hidden">
        {threadError ? <Alert tone="error">{threadError}</Alert> : null}
        {result?.reported ? (
          <Alert tone="success">Thanks: the teachers will look at the post you reported.</Alert>
        ) : null}
      </div>

      {!lecture.open ? (
        <LockedDiscussion signedIn={signedIn} opening={opening} loginUrl={loginUrl} lectureUrl={lectureUrl} />
      ) : (
        <>
          {lecture.locked ? (
            <div className="mt-6">
              <Alert tone="info">
                <span className="flex items-center gap-2">
                  <LockIcon className="size-4" /> This discussion is locked: you can read it, but new posts and replies
                  are closed.
                </span>
              </Alert>
            </div>
          ) : null}
          {admin ? (
            <Form method="post" className="mt-4">
              <button
                type="submit"
                name="intent"
                value={lecture.locked ? "unlock" : "lock"}
                className="rounded-lg border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-2"
              >
                {lecture.locked ? "Unlock the discussion" : "Lock the discussion"}
              </button>
            </Form>
          ) : null}

          {viewer.canPost ? (
            <section aria-labelledby="new-post-heading" className="mt-6 rounded-2xl border border-line bg-surface p-5">
              <h2 id="new-post-heading" className="font-semibold">
                Ask a question or share what you found
              </h2>
              <div className="mt-3">
                <DiscussionComposer
                  id="new-post-body"
                  intent="post"
                  label="Your post"
                  submitLabel="Post"
                  defaultValue={newPost?.fields.body}
                  error={newPost?.errors.body}
                  formError={newPost?.formError}
                />
              </div>
            </section>
          ) : !signedIn ? (
            <p className="mt-6 rounded-2xl border border-line bg-surface p-5 text-sm">
              <Link to={loginUrl} className="font-semibold text-accent-strong underline">
                Log in to post
              </Link>{" "}
              and reply in this discussion.
            </p>
          ) : null}

          <h2 className="sr-only">Posts</h2>
          {posts.length === 0 ? (
            <div className="mt-8">
              <EmptyState title={page > 1 ? "No more posts" : "No posts yet"}>
                {page > 1 ? (
                  <Link to={threadSearch(sort, 1) || "?"} className="text-accent-strong underline">
                    Back to the first page
                  </Link>
                ) : (
                  "Stuck on an exercise or found a better way? Start the discussion for this lecture."
                )}
              </EmptyState>
            </div>
          ) : (
            <ol className="mt-8 space-y-5">
              {posts.map((post) => (
                <li key={post.id}>
                  <DiscussionPost
                    post={post}
                    viewer={viewer}
                    failed={failed}
                    quoteUrl={quoteUrl}
                    openReply={openReply}
                  />
                </li>
              ))}
            </ol>
          )}
          <DiscussionPagination sort={sort} page={page} pageCount={pageCount} />
        </>
      )}
    </div>
  );
}

function LockedDiscussion({
  signedIn,
  opening,
  loginUrl,
  lectureUrl,
}: {
  signedIn: boolean;
  opening: { opensAt: string; timezone: string } | null;
  loginUrl: string;
  lectureUrl: string;
}) {
  return (
    <section aria-labelledby="locked-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
        <LockIcon className="size-5 text-accent-strong" />
        {opening ? "This discussion opens with its module" : "This discussion is for enrolled students"}
      </h2>
      <p className="mt-2 text-muted">
        {opening ? (
          <>
            Opens on <time dateTime={opening.opensAt}>{formatInZone(opening.opensAt, opening.timezone)}</time>, on your
            cohort's schedule.
          </>
        ) : (
          "Enrolled students read and post in every lecture's discussion. Free preview lectures have open discussions."
        )}
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        {signedIn ? null : (
          <Link
            to={loginUrl}
            className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
          >
            Log in to continue
          </Link>
        )}
        {signedIn || opening ? null : (
          <Link to="/register" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
            Create an account
          </Link>
        )}
        <Link to={lectureUrl} className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
          Back to the lecture
        </Link>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
